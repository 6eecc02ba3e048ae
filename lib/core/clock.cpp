#include "core/clock.h"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "core/error.h"

namespace gl {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
long long days_from_civil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + static_cast<long long>(doe) - 719468;
}

bool read_digits(const std::string& s, size_t& pos, size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  pos += count;
  out = v;
  return true;
}

bool expect(const std::string& s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// Seconds since the epoch of kEarliestTime and kLatestTime.
constexpr long long kEarliestSeconds = 0;
constexpr long long kLatestSeconds = 7258118399;  // 2199-12-31T23:59:59Z

int days_in_month(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

}  // namespace

std::optional<TimePoint> parse_iso8601(const std::string& text) {
  size_t pos = 0;
  int year, month, day, hour = 0, minute = 0, second = 0;
  long long micros = 0;
  if (!read_digits(text, pos, 4, year) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, month) || !expect(text, pos, '-') ||
      !read_digits(text, pos, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  long long offset_seconds = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!read_digits(text, pos, 2, hour) || !expect(text, pos, ':') ||
        !read_digits(text, pos, 2, minute))
      return std::nullopt;
    if (expect(text, pos, ':')) {
      if (!read_digits(text, pos, 2, second)) return std::nullopt;
      if (expect(text, pos, '.') || expect(text, pos, ',')) {
        long long scale = 100000;
        size_t digits = 0;
        while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          if (scale > 0) micros += (text[pos] - '0') * scale;
          scale /= 10;
          ++pos;
          ++digits;
        }
        if (digits == 0) return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
    if (pos < text.size()) {
      const char z = text[pos];
      if (z == 'Z' || z == 'z') {
        ++pos;
      } else if (z == '+' || z == '-') {
        ++pos;
        int oh, om = 0;
        if (!read_digits(text, pos, 2, oh)) return std::nullopt;
        expect(text, pos, ':');
        if (pos < text.size() && !read_digits(text, pos, 2, om)) return std::nullopt;
        if (oh > 23 || om > 59) return std::nullopt;
        offset_seconds = (oh * 3600LL + om * 60LL) * (z == '+' ? 1 : -1);
      } else {
        return std::nullopt;
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  const long long secs =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400LL +
      hour * 3600LL + minute * 60LL + second - offset_seconds;
  if (secs < kEarliestSeconds || secs > kLatestSeconds) return std::nullopt;
  return TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::seconds(secs) + std::chrono::microseconds(micros)));
}

TimePoint parse_now_flag(const std::string& text) {
  if (text.empty()) {
    throw usage_error("--now", "is empty: give an ISO 8601 time, or leave --now out for the clock");
  }
  if (const auto t = parse_iso8601(text)) return *t;
  // Tell an out-of-range time from a malformed one: the same text in 2000.
  if (text.size() >= 4 && parse_iso8601("2000" + text.substr(4))) {
    throw usage_error("--now", "\"" + text + "\" is outside the supported range " + kEarliestTime +
                                   " to " + kLatestTime);
  }
  throw usage_error("--now",
                    "\"" + text + "\" is not an ISO 8601 time (e.g. 2026-11-24T10:00:00Z)");
}

std::string format_iso8601(TimePoint t) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  long long secs = micros / 1000000;
  long long frac = micros % 1000000;
  if (frac < 0) {
    frac += 1000000;
    secs -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  if (frac == 0) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03lldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac / 1000);
  }
  return buf;
}

}  // namespace gl
