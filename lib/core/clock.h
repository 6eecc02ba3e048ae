// The business clock. Every "now" a tool reasons with comes from here, so
// `--now` makes a run reproducible and lets a simulation advance time.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace gl {

using TimePoint = std::chrono::system_clock::time_point;
using Seconds = std::chrono::seconds;

// The times growthloop accepts, from any source: well inside what a
// TimePoint (nanoseconds in 64 bits: 1677-2262) can hold, so nothing wraps.
inline constexpr const char* kEarliestTime = "1970-01-01T00:00:00Z";
inline constexpr const char* kLatestTime = "2199-12-31T23:59:59Z";

// Parses ISO 8601 / RFC 3339: "2026-11-24", "2026-11-24T10:00", "...:05",
// "...:05.123", with "Z" or "+02:00" / "-0500"; no zone means UTC. Nothing
// for a malformed time or one outside kEarliestTime..kLatestTime.
std::optional<TimePoint> parse_iso8601(const std::string& text);

// The value of --now: a usage error (exit 2, naming --now) when it is empty,
// malformed or outside the supported range.
TimePoint parse_now_flag(const std::string& text);

// "2026-11-24T10:00:05Z" (UTC, whole seconds; milliseconds when present).
std::string format_iso8601(TimePoint t);

class Clock {
 public:
  // With a fixed time the clock stands still at it; without, it is the system clock.
  explicit Clock(std::optional<TimePoint> fixed = std::nullopt) : fixed_(fixed) {}
  TimePoint now() const { return fixed_ ? *fixed_ : std::chrono::system_clock::now(); }
  bool fixed() const { return fixed_.has_value(); }

 private:
  std::optional<TimePoint> fixed_;
};

// The instant `secs` seconds after the Unix epoch (as PostgreSQL's extract(epoch ...) gives),
// to the microsecond PostgreSQL keeps: a double holds it only to about 0.1 µs, and
// truncating its nanoseconds would put some millisecond times just before themselves.
inline TimePoint from_epoch_seconds(double secs) {
  return TimePoint(
      std::chrono::round<std::chrono::microseconds>(std::chrono::duration<double>(secs)));
}

// `t` as a statement reads it from format_iso8601: to the millisecond, below.
inline TimePoint as_written(TimePoint t) {
  return std::chrono::floor<std::chrono::milliseconds>(t);
}

inline double hours_between(TimePoint a, TimePoint b) {
  return std::chrono::duration<double>(b - a).count() / 3600.0;
}

}  // namespace gl
