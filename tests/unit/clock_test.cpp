#include "core/clock.h"

#include <catch2/catch.hpp>

#include "core/timezone.h"

using gl::as_written;
using gl::format_iso8601;
using gl::from_epoch_seconds;
using gl::parse_iso8601;
using gl::TimePoint;

TEST_CASE("ISO 8601 times parse in every documented form") {
  const auto base = parse_iso8601("2026-11-24T10:00:00Z");
  REQUIRE(base);
  CHECK(format_iso8601(*base) == "2026-11-24T10:00:00Z");
  CHECK(parse_iso8601("2026-11-24T10:00") == base);
  CHECK(parse_iso8601("2026-11-24 10:00:00") == base);
  CHECK(parse_iso8601("2026-11-24T12:00:00+02:00") == base);
  CHECK(parse_iso8601("2026-11-24T05:00:00-0500") == base);
  CHECK(format_iso8601(*parse_iso8601("2026-11-24T10:00:00.250Z")) == "2026-11-24T10:00:00.250Z");
  CHECK(format_iso8601(*parse_iso8601("2026-11-24")) == "2026-11-24T00:00:00Z");
  CHECK(format_iso8601(*parse_iso8601("2024-02-29T23:59:59Z")) == "2024-02-29T23:59:59Z");
}

TEST_CASE("malformed ISO 8601 times are rejected") {
  for (const char* bad : {"", "yesterday", "2026-13-01", "2026-02-30", "2026-11-24T25:00",
                          "2026-11-24T10:00Zjunk", "2026-11-24T10", "1732440000"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso8601(bad));
  }
}

TEST_CASE("local hours follow the account's time zone, DST included") {
  const auto winter = *parse_iso8601("2026-01-15T12:00:00Z");
  const auto summer = *parse_iso8601("2026-07-15T12:00:00Z");
  CHECK(gl::to_local(winter, "America/New_York").hour == 7);
  CHECK(gl::to_local(summer, "America/New_York").hour == 8);
  CHECK(gl::to_local(winter, "UTC").hour == 12);
  CHECK(gl::to_local(winter, "Asia/Kolkata").minute == 30);
  CHECK(gl::to_local(winter, "UTC").weekday == 4);  // a Thursday
  CHECK(gl::from_local(2026, 7, 15, 8, 0, "America/New_York") == summer);
  CHECK(gl::is_known_timezone("Europe/Berlin"));
  CHECK_FALSE(gl::is_known_timezone("Mars/Olympus"));
  CHECK_FALSE(gl::is_known_timezone("../../etc/passwd"));
}

TEST_CASE("many instants are read in a time zone as each alone, across a DST change") {
  const auto from = *parse_iso8601("2026-03-07T12:00:00Z");  // New York moves on the 8th
  std::vector<gl::TimePoint> times;
  for (int h = 0; h < 48; ++h) times.push_back(from + std::chrono::hours(h));
  const std::vector<gl::LocalTime> locals = gl::to_local(times, "America/New_York");
  REQUIRE(locals.size() == times.size());
  for (size_t i = 0; i < times.size(); ++i) {
    const gl::LocalTime one = gl::to_local(times[i], "America/New_York");
    INFO(format_iso8601(times[i]));
    CHECK(locals[i].day == one.day);
    CHECK(locals[i].hour == one.hour);
    CHECK(locals[i].weekday == one.weekday);
  }
  CHECK(locals[0].hour == 7);   // EST
  CHECK(locals[47].hour == 7);  // 2026-03-09T11:00Z, EDT
  CHECK(gl::to_local(std::vector<gl::TimePoint>{}, "UTC").empty());
}

TEST_CASE("an epoch in seconds with milliseconds is that instant, printed as it was") {
  // As PostgreSQL's extract(epoch ...) gives it: a double, exact only to about 0.1 µs.
  const TimePoint base = *parse_iso8601("2026-11-20T21:00:00Z");
  for (int ms = 0; ms < 1000; ++ms) {
    const TimePoint t = base + std::chrono::milliseconds(ms);
    const double secs = std::chrono::duration<double>(t.time_since_epoch()).count();
    INFO(ms);
    CHECK(from_epoch_seconds(secs) == t);
  }
}

TEST_CASE("as_written is the time a statement reads from format_iso8601") {
  const TimePoint base = *parse_iso8601("2026-11-20T21:00:00Z");
  for (const long long ns :
       {0LL, 1LL, 999LL, 1000LL, 1001LL, 999999LL, 1000000LL, 123456789LL, 999999999LL}) {
    const TimePoint t = base + std::chrono::nanoseconds(ns);
    INFO(ns);
    CHECK(as_written(t) == *parse_iso8601(format_iso8601(t)));
  }
}
