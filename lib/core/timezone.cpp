#include "core/timezone.h"

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <mutex>

namespace gl {

namespace {

// localtime_r and mktime read the TZ variable, which is process-wide: switch it under a lock.
std::mutex tz_mutex;

class ScopedTz {
 public:
  explicit ScopedTz(const std::string& tz) : lock_(tz_mutex) {
    const char* old = std::getenv("TZ");
    had_old_ = old != nullptr;
    if (had_old_) old_ = old;
    setenv("TZ", tz.c_str(), 1);
    tzset();
  }
  ~ScopedTz() {
    if (had_old_) {
      setenv("TZ", old_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }
  ScopedTz(const ScopedTz&) = delete;
  ScopedTz& operator=(const ScopedTz&) = delete;

 private:
  std::lock_guard<std::mutex> lock_;
  bool had_old_ = false;
  std::string old_;
};

// The local time of t in the zone TZ names (under a ScopedTz).
LocalTime local_time(TimePoint t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  localtime_r(&tt, &tm);
  return LocalTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_wday};
}

}  // namespace

bool is_known_timezone(const std::string& tz) {
  if (tz == "UTC" || tz == "Etc/UTC") return true;
  if (tz.empty() || tz.find("..") != std::string::npos || tz[0] == '/') return false;
  std::ifstream f("/usr/share/zoneinfo/" + tz, std::ios::binary);
  char magic[4] = {};
  return f.read(magic, 4) && std::string(magic, 4) == "TZif";
}

LocalTime to_local(TimePoint t, const std::string& tz) {
  ScopedTz scoped(tz);
  return local_time(t);
}

std::vector<LocalTime> to_local(const std::vector<TimePoint>& times, const std::string& tz) {
  ScopedTz scoped(tz);
  std::vector<LocalTime> out;
  out.reserve(times.size());
  for (const TimePoint& t : times) out.push_back(local_time(t));
  return out;
}

TimePoint from_local(int year, int month, int day, int hour, int minute, const std::string& tz) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_isdst = -1;
  std::time_t tt;
  {
    ScopedTz scoped(tz);
    tt = mktime(&tm);
  }
  return std::chrono::system_clock::from_time_t(tt);
}

}  // namespace gl
