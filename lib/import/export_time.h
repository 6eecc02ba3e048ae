// Times as X's exports write them, and post ids: the archive's
// "Sat Feb 18 12:33:11 +0000 2023", the legacy analytics' "2023-02-18 12:33
// +0000", the current analytics' "Sat, Feb 18, 2023" (no time of day), and
// what spreadsheets make of them ("2/18/2023 12:33", "18.02.2023"); month
// names in English, Spanish, French, German and Portuguese. A post id is a
// snowflake that carries its own posting time.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"

namespace gl::import {

struct ExportTime {
  TimePoint at;   // UTC; midnight of the day when the text has no time of day
  bool has_time;  // the text names a time of day
};

// nullopt when the text is no date. `day_first` reads 03/04/2023 as 3 April
// (exports in languages that write the day first); a part over 12 decides.
std::optional<ExportTime> parse_export_time(const std::string& text, bool day_first = false);

namespace detail {
// parse_export_time without its shortcut for the archive's shape (a test holds
// the two equal).
std::optional<ExportTime> parse_export_time_in_general(const std::string& text, bool day_first);
}  // namespace detail

// 1 to 19 digits that fit a signed 64-bit integer.
bool valid_post_id(const std::string& id);

// When a snowflake id was made: ms = (id >> 22) + 1288834974657. nullopt for
// ids older than snowflakes (late 2010) or not valid.
std::optional<TimePoint> snowflake_time(const std::string& id);

// "1.23457E+18": an id a spreadsheet turned into a rounded number.
bool spreadsheet_mangled(const std::string& id);

// True when `id` rounds to the spreadsheet's number `mangled`.
bool matches_mangled(const std::string& mangled, const std::string& id);

// The id in a post's link: https://x.com/handle/status/123 (or /statuses/).
std::optional<std::string> id_from_permalink(const std::string& link);

}  // namespace gl::import
