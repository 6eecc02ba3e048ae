#include "import/export_time.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <vector>

#include "core/regex.h"
#include "import/text_key.h"

namespace gl::import {

namespace {

// Month names and abbreviations by their accent-free lower-case prefix, in
// English, Spanish, French, German and Portuguese.
struct MonthName {
  const char* prefix;
  int month;
};
constexpr MonthName kMonths[] = {{"jan", 1},  {"ene", 1},  {"janv", 1}, {"feb", 2},  {"fev", 2},
                                 {"fevr", 2}, {"mar", 3},  {"mrz", 3},  {"apr", 4},  {"abr", 4},
                                 {"avr", 4},  {"may", 5},  {"mai", 5},  {"jun", 6},  {"juin", 6},
                                 {"jul", 7},  {"juil", 7}, {"aug", 8},  {"ago", 8},  {"aou", 8},
                                 {"sep", 9},  {"set", 9},  {"oct", 10}, {"okt", 10}, {"out", 10},
                                 {"nov", 11}, {"dec", 12}, {"dic", 12}, {"dez", 12}};

// The month a word names, or 0. The word must be at least its prefix and
// start with it ("february", "févr.", "März").
int month_of(const std::string& word) {
  int best = 0;
  size_t best_len = 0;
  for (const auto& m : kMonths) {
    const size_t n = std::char_traits<char>::length(m.prefix);
    if (word.size() >= n && word.compare(0, n, m.prefix) == 0 && n > best_len) {
      best = m.month;
      best_len = n;
    }
  }
  // "mar" must not take "martes" (Spanish Tuesday) or "mardi" (French).
  if (best == 3 && (word.rfind("mart", 0) == 0 || word.rfind("mard", 0) == 0)) return 0;
  return best;
}

std::optional<TimePoint> civil(int y, int mo, int d, int h, int mi, int s, int offset_minutes) {
  if (y < 1970 || y > 2200 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 60)
    return std::nullopt;
  const std::string iso = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}{}{:02d}:{:02d}", y,
                                      mo, d, h, mi, s, offset_minutes < 0 ? '-' : '+',
                                      std::abs(offset_minutes) / 60, std::abs(offset_minutes) % 60);
  return parse_iso8601(iso);
}

// The fields of a time in the shape X's archive writes every post's time in,
// "Sat Feb 18 12:33:11 +0000 2023" (English names, two-digit day).
struct ArchiveShape {
  int y, mo, d, h, mi, s, offset_minutes;
};

std::optional<ArchiveShape> archive_shape(const std::string& t) {
  static const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char* const kMonthAbbreviations[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (t.size() != 30 || t[3] != ' ' || t[7] != ' ' || t[10] != ' ' || t[13] != ':' ||
      t[16] != ':' || t[19] != ' ' || (t[20] != '+' && t[20] != '-') || t[25] != ' ')
    return std::nullopt;
  for (size_t i : {8, 9, 11, 12, 14, 15, 17, 18, 21, 22, 23, 24, 26, 27, 28, 29}) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
  }
  const auto named = [&](size_t at, const char* name) { return t.compare(at, 3, name) == 0; };
  if (std::none_of(std::begin(kWeekdays), std::end(kWeekdays),
                   [&](const char* w) { return named(0, w); }))
    return std::nullopt;
  int month = 0;
  for (int m = 0; m < 12 && month == 0; ++m) {
    if (named(4, kMonthAbbreviations[m])) month = m + 1;
  }
  if (month == 0) return std::nullopt;
  const auto number = [&](size_t at, size_t digits) {
    int n = 0;
    for (size_t i = at; i < at + digits; ++i) n = n * 10 + (t[i] - '0');
    return n;
  };
  const int offset = number(21, 2) * 60 + number(23, 2);
  return ArchiveShape{number(26, 4),
                      month,
                      number(8, 2),
                      number(11, 2),
                      number(14, 2),
                      number(17, 2),
                      t[20] == '-' ? -offset : offset};
}

}  // namespace

// The archive's shape (a post's time, read twice for every post) is read
// directly, as the general reading reads it (a test holds the two equal).
std::optional<ExportTime> parse_export_time(const std::string& raw, bool day_first) {
  if (const auto a = archive_shape(raw)) {
    if (a->d < 1 || a->d > 31) return std::nullopt;
    const auto at = civil(a->y, a->mo, a->d, a->h, a->mi, a->s, a->offset_minutes);
    if (!at) return std::nullopt;
    return ExportTime{*at, true};
  }
  return detail::parse_export_time_in_general(raw, day_first);
}

std::optional<ExportTime> detail::parse_export_time_in_general(const std::string& raw,
                                                               bool day_first) {
  std::string text = raw;
  // Japanese dates: 2023年2月18日.
  for (const char* sep : {"\xE5\xB9\xB4", "\xE6\x9C\x88", "\xE6\x97\xA5"}) {
    for (size_t p; (p = text.find(sep)) != std::string::npos;) text.replace(p, 3, " ");
  }
  if (text.size() > 80) return std::nullopt;
  // ISO 8601 and the legacy export's "2023-02-18 12:33 +0000".
  static const Regex kIso(
      R"(^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$)",
      Regex::kIcase);
  RegexMatch m;
  if (kIso.full_match(text, m)) {
    std::string iso = m.str(1);
    const bool has_time = m.matched(2);
    if (has_time) {
      iso += "T" + m.str(2);
      std::string zone = m.matched(3) ? m.str(3) : "Z";
      if (zone.size() <= 3) zone = "Z";  // Z, UTC, GMT
      iso += zone;
    }
    const auto at = parse_iso8601(iso);
    if (!at) return std::nullopt;
    return ExportTime{*at, has_time};
  }

  // Everything else: a time of day, a zone, and a date of three parts.
  int hour = 0, minute = 0, second = 0, offset = 0;
  bool has_time = false;
  static const Regex kClock(R"((\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([AaPp]\.?[Mm]\.?)?)");
  if (kClock.search(text, m)) {
    has_time = true;
    hour = std::stoi(m.str(1));
    minute = std::stoi(m.str(2));
    if (m.matched(3)) second = std::stoi(m.str(3));
    if (m.matched(4)) {
      if (hour < 1 || hour > 12) return std::nullopt;
      const bool pm = std::tolower(static_cast<unsigned char>(m.str(4)[0])) == 'p';
      hour = hour % 12 + (pm ? 12 : 0);
    }
    text = m.prefix() + " " + m.suffix();
  }
  static const Regex kZone(R"((?:^|\s)([+-])(\d{2}):?(\d{2})(?=\s|$))");
  if (kZone.search(text, m)) {
    offset = std::stoi(m.str(2)) * 60 + std::stoi(m.str(3));
    if (m.str(1) == "-") offset = -offset;
    text = m.prefix() + " " + m.suffix();
  }
  std::vector<std::string> numbers;
  int month_word = 0;
  bool two_months = false;  // "Mar Feb 18": which one is meant is a guess, so no date
  std::string token;
  const auto flush = [&] {
    if (token.empty()) return;
    if (std::isdigit(static_cast<unsigned char>(token[0]))) {
      numbers.push_back(token);
    } else {
      const std::string word = text_key(token);
      if (const int mo = month_of(word); mo != 0) {
        two_months |= month_word != 0 && mo != month_word;
        if (month_word == 0) month_word = mo;
      }
    }
    token.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool digit = std::isdigit(c);
    const bool letter = std::isalpha(c) || c >= 0x80;
    if (!digit && !letter) {
      flush();
      continue;
    }
    if (!token.empty() &&
        digit != static_cast<bool>(std::isdigit(static_cast<unsigned char>(token[0])))) {
      flush();
    }
    token += static_cast<char>(c);
  }
  flush();
  if (two_months) return std::nullopt;
  for (const auto& n : numbers) {
    if (n.size() > 4) return std::nullopt;
  }
  int y = 0, mo = 0, d = 0;
  if (month_word != 0) {
    if (numbers.size() != 2) return std::nullopt;
    mo = month_word;
    const bool year_first = numbers[0].size() == 4;
    const std::string& year = year_first ? numbers[0] : numbers[1];
    const std::string& day = year_first ? numbers[1] : numbers[0];
    if (year.size() != 4 || day.size() > 2) return std::nullopt;
    y = std::stoi(year);
    d = std::stoi(day);
  } else {
    if (numbers.size() != 3) return std::nullopt;
    int a = std::stoi(numbers[0]), b = std::stoi(numbers[1]), c = std::stoi(numbers[2]);
    if (numbers[0].size() == 4) {
      y = a;
      mo = b;
      d = c;
    } else if (numbers[2].size() == 4) {
      y = c;
      const bool dm = a > 12 || (b <= 12 && day_first);
      d = dm ? a : b;
      mo = dm ? b : a;
    } else {
      return std::nullopt;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  const auto at = civil(y, mo, d, hour, minute, second, has_time ? offset : 0);
  if (!at) return std::nullopt;
  return ExportTime{*at, has_time};
}

bool valid_post_id(const std::string& id) {
  if (id.empty() || id.size() > 19) return false;
  for (char c : id) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  if (id.size() == 19 && id > "9223372036854775807") return false;
  return true;
}

std::optional<TimePoint> snowflake_time(const std::string& id) {
  if (!valid_post_id(id)) return std::nullopt;
  const unsigned long long v = std::stoull(id);
  // Snowflakes began in November 2010; older ids were counters.
  constexpr unsigned long long kFirstSnowflake = 1ULL << 42;
  if (v < kFirstSnowflake) return std::nullopt;
  const long long ms = static_cast<long long>(v >> 22) + 1288834974657LL;
  return TimePoint(std::chrono::milliseconds(ms));
}

bool spreadsheet_mangled(const std::string& id) {
  static const Regex kScientific(R"(^\s*\d(?:[.,]\d+)?[eE]\+?\d{1,2}\s*$)");
  return kScientific.full_match(id);
}

bool matches_mangled(const std::string& mangled, const std::string& id) {
  std::string m = mangled;
  for (char& c : m) {
    if (c == ',') c = '.';
  }
  const double value = std::strtod(m.c_str(), nullptr);
  const auto e = m.find_first_of("eE");
  const auto dot = m.find('.');
  const size_t digits = dot == std::string::npos || dot > e ? 1 : e - dot;  // significant digits
  if (!(value > 0) || !valid_post_id(id)) return false;
  // The id rounded to as many significant digits as the spreadsheet kept.
  const double exact = std::stod(id);
  const double scale =
      std::pow(10.0, std::floor(std::log10(exact)) - static_cast<double>(digits) + 1);
  return std::fabs(std::round(exact / scale) * scale - value) <= 0.5 * scale;
}

std::optional<std::string> id_from_permalink(const std::string& link) {
  static const Regex kStatus(R"(/status(?:es)?/(\d{1,19})(?:[/?#]|$))");
  RegexMatch m;
  if (!kStatus.search(link, m)) return std::nullopt;
  if (!valid_post_id(m.str(1))) return std::nullopt;
  return m.str(1);
}

}  // namespace gl::import
