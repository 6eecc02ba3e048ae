// Local time of day in an account's IANA timezone (tzdata through the C library).
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"

namespace gl {

struct LocalTime {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0;
  int weekday = 0;  // 0 = Sunday
};

// True when tzdata knows the zone ("UTC", "Europe/Berlin", ...).
bool is_known_timezone(const std::string& tz);

LocalTime to_local(TimePoint t, const std::string& tz);
// Many instants at once: the C library reloads the zone at every switch of TZ.
std::vector<LocalTime> to_local(const std::vector<TimePoint>& times, const std::string& tz);

// The instant at local wall-clock time (year, month, day, hour:minute) in tz.
TimePoint from_local(int year, int month, int day, int hour, int minute, const std::string& tz);

}  // namespace gl
