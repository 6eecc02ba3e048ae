#include "learn/text_features_numbers.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace gl::learn {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool in(const std::string& word, const std::set<std::string>& words) {
  return words.count(word) != 0;
}

const std::set<std::string> kMonths = {
    "january",   "february", "march",    "april",    "may",  "june", "july", "august",
    "september", "october",  "november", "december", "jan",  "feb",  "mar",  "apr",
    "jun",       "jul",      "aug",      "sep",      "sept", "oct",  "nov",  "dec"};
const std::set<std::string> kScaleWords = {"million",  "millions", "billion",   "billions",
                                           "trillion", "thousand", "thousands", "lakh",
                                           "crore",    "bn",       "mn"};
const std::set<std::string> kPercentWords = {"percent", "pct", "percentage"};
const std::set<std::string> kMoneyWords = {"usd",  "eur",    "gbp",   "dollars", "dollar", "euros",
                                           "euro", "pounds", "bucks", "cents",   "rupees", "yen"};
// Attached scale suffixes: 100k, $2bn, 3x.
const std::set<std::string> kScaleSuffixes = {"k",       "b",       "bn",       "mn", "mil",
                                              "million", "billion", "trillion", "x"};
// Attached units: quantities, not statistics.
const std::set<std::string> kUnitSuffixes = {
    "h",   "hr",   "hrs",  "hour", "hours", "min", "mins", "m",   "s",   "sec",  "secs", "ms",
    "d",   "day",  "days", "w",    "wk",    "wks", "y",    "yr",  "yrs", "yo",   "km",   "kg",
    "g",   "mg",   "lb",   "lbs",  "oz",    "ml",  "l",    "cm",  "mm",  "ft",   "in",   "mph",
    "kph", "kmh",  "gb",   "mb",   "tb",    "kb",  "hz",   "ghz", "mhz", "kw",   "kwh",  "w",
    "cal", "kcal", "mi",   "c",    "f",     "v",   "mah",  "p",   "fps", "kbps", "mbps"};
// "Word N": the number names or ranks something rather than counting it.
const std::set<std::string> kIdentifierWords = {
    "no",     "nr",       "number",  "num",      "ward",    "room",    "gate",   "route", "bus",
    "flight", "line",     "chapter", "ch",       "episode", "ep",      "season", "vol",   "volume",
    "page",   "pg",       "id",      "code",     "pin",     "level",   "lvl",    "stage", "round",
    "game",   "act",      "part",    "phase",    "article", "section", "sec",    "step",  "day",
    "week",   "iphone",   "galaxy",  "pixel",    "ps",      "xbox",    "series", "model", "mk",
    "gpt",    "web",      "covid",   "platform", "track",   "exit",    "unit",   "block", "floor",
    "sector", "district", "zone",    "class",    "grade",   "vs",      "v",      "tier"};
const std::set<std::string> kVersionWords = {
    "version", "ver",    "release",  "ios",     "android", "windows", "python", "java",   "macos",
    "ubuntu",  "debian", "chrome",   "firefox", "php",     "node",    "rails",  "django", "react",
    "angular", "kotlin", "swift",    "ruby",    "perl",    "gcc",     "qt",     "linux",  "kernel",
    "update",  "build",  "firmware", "beta",    "alpha",   "rc",      "patch",  "edition"};

struct Token {
  size_t begin = 0, end = 0;  // the digits and separators, in the lower-cased prose
  size_t after = 0;           // past the suffix or %
  std::string core;
  std::string suffix;       // letters attached after ("st", "k", "km")
  bool percent = false;     // "%" attached
  std::string word_before;  // the previous word, one space away at most
  std::string word_after;   // the next word after spaces
  std::string word_after2;  // and the one after it
  bool money = false;
};

std::string word_ending_at(const std::string& s, size_t end) {
  size_t b = end;
  while (b > 0 && alpha(s[b - 1])) --b;
  return s.substr(b, end - b);
}

std::string word_starting_at(const std::string& s, size_t begin) {
  size_t e = begin;
  while (e < s.size() && alpha(s[e])) ++e;
  return s.substr(begin, e - begin);
}

size_t skip_spaces(const std::string& s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

bool ends_with(const std::string& s, size_t end, const char* suffix) {
  const std::string x = suffix;
  return end >= x.size() && s.compare(end - x.size(), x.size(), x) == 0;
}

long long value_of(const std::string& core) {
  long long v = 0;
  for (char c : core) {
    if (digit(c)) {
      v = v * 10 + (c - '0');
      if (v > 1000000000000LL) return v;
    } else if (c != ',') {
      break;
    }
  }
  return v;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return digit(c); });
}

// Only spaces or list markers before it on its line.
bool at_line_start(const std::string& s, size_t begin) {
  size_t i = begin;
  while (i > 0 && s[i - 1] != '\n') {
    const char c = s[i - 1];
    if (c != ' ' && c != '\t' && c != '(' && c != '[') return false;
    --i;
  }
  return true;
}

// Nothing but spaces and punctuation (or emoji) between here and the end.
bool only_trailer_after(const std::string& s, size_t end) {
  for (size_t i = end; i < s.size(); ++i) {
    if (alpha(s[i]) || digit(s[i])) return false;
  }
  return true;
}

bool only_leader_before(const std::string& s, size_t begin) {
  for (size_t i = 0; i < begin; ++i) {
    if (alpha(s[i]) || digit(s[i])) return false;
  }
  return true;
}

NumberKind classify(const std::string& lo, const Token& t) {
  const char before = t.begin > 0 ? lo[t.begin - 1] : ' ';
  const char before2 = t.begin > 1 ? lo[t.begin - 2] : ' ';
  const std::string& c = t.core;
  const long long v = value_of(c);
  const size_t separators = std::count_if(c.begin(), c.end(), [](char x) { return !digit(x); });

  // Attached to a word: H2O, mp3, v2, GPT-4, COVID-19; #1.
  if (alpha(before))
    return before == 'v' && !alpha(before2) ? NumberKind::kVersion : NumberKind::kIdentifier;
  if (before == '-' && alpha(before2)) return NumberKind::kIdentifier;
  // Inside a name: icon@2x.png, file_3.csv.
  if (before == '@' || before == '_') return NumberKind::kIdentifier;
  if (before == '#') return NumberKind::kOrdinal;
  if (t.money) return NumberKind::kMoney;

  if (t.percent) return NumberKind::kPercent;
  if (!t.suffix.empty()) {
    const std::string& x = t.suffix;
    if (x == "st" || x == "nd" || x == "rd" || x == "th") return NumberKind::kOrdinal;
    if (x == "s" && (c.size() == 2 || c.size() == 4) && c.back() == '0') return NumberKind::kYear;
    if (x == "am" || x == "pm" || ((x == "a" || x == "p") && lo.compare(t.after, 2, ".m") == 0))
      return NumberKind::kTime;
    if (x == "x") return NumberKind::kMultiplier;
    if (in(x, kScaleSuffixes)) return NumberKind::kCount;
    if (in(x, kUnitSuffixes)) return NumberKind::kQuantity;
    return NumberKind::kIdentifier;  // 5g, 3d, 2fa
  }

  if (t.word_after == "am" || t.word_after == "pm" ||
      ((t.word_after == "a" || t.word_after == "p") && t.word_after2 == "m"))
    return v <= 24 ? NumberKind::kTime : NumberKind::kQuantity;

  // Shapes with separators.
  if (c.find(':') != std::string::npos) {
    // 10:30, 22:16:05
    const bool clock =
        separators <= 2 && c.find(':') <= 2 && c.size() - c.find(':') == 3 + 3 * (separators - 1);
    if (clock && (t.word_after == "am" || t.word_after == "pm" || v <= 24))
      return NumberKind::kTime;
    return NumberKind::kIdentifier;  // 3:16, 16:9
  }
  const size_t slashes = std::count(c.begin(), c.end(), '/');
  const size_t dashes = std::count(c.begin(), c.end(), '-');
  const size_t dots = std::count(c.begin(), c.end(), '.');
  if (slashes + dashes + dots >= 2 && separators == slashes + dashes + dots) {
    if (dots >= 2 && slashes + dashes == 0 && c.size() - c.rfind('.') <= 2)
      return NumberKind::kVersion;  // 1.2.3
    return NumberKind::kDate;       // 2023-01-05, 5/12/23, 5.12.2023
  }
  if (slashes == 1 && separators == 1) {
    const long long a = v, b = value_of(c.substr(c.find('/') + 1));
    if (t.word_after == "of") return NumberKind::kRatio;  // 3/4 of
    if (before == '(' || only_leader_before(lo, t.begin) || only_trailer_after(lo, t.end))
      return NumberKind::kListNumber;  // thread markers 1/5
    if (a >= 1 && b >= 1 && a <= 31 && b <= 31 && (a <= 12 || b <= 12)) return NumberKind::kDate;
    return NumberKind::kIdentifier;  // 24/7
  }
  if (dashes == 1 && separators == 1) {
    const long long b = value_of(c.substr(c.find('-') + 1));
    if (v >= 1800 && v <= 2099 && b >= 1800 && b <= 2099) return NumberKind::kYear;
    if (v <= 9 && b <= 9) return NumberKind::kIdentifier;  // a score, 3-1
    return NumberKind::kQuantity;                          // a range, 18-24
  }

  // Words around it.
  if (in(t.word_after, kMonths) || in(t.word_before, kMonths) ||
      (t.word_after == "of" && in(t.word_after2, kMonths)))
    return v <= 31 && c.size() <= 2 ? NumberKind::kDate
                                    : (c.size() == 4 ? NumberKind::kYear : NumberKind::kQuantity);
  if (t.word_before == "top") return NumberKind::kListNumber;
  if (in(t.word_before, kVersionWords)) return NumberKind::kVersion;
  if (in(t.word_before, kIdentifierWords)) return NumberKind::kIdentifier;
  if (in(t.word_after, kPercentWords) || (t.word_after == "per" && t.word_after2 == "cent"))
    return NumberKind::kPercent;
  if (in(t.word_after, kScaleWords)) return NumberKind::kCount;
  if (t.word_after == "times" &&
      (t.word_after2 == "more" || t.word_after2 == "less" || t.word_after2 == "as" ||
       t.word_after2 == "higher" || t.word_after2 == "faster" || t.word_after2 == "likely" ||
       t.word_after2 == "bigger" || t.word_after2 == "greater" || t.word_after2 == "the"))
    return NumberKind::kMultiplier;
  if ((t.word_after == "in" || (t.word_after == "out" && t.word_after2 == "of"))) {
    // "1 in 4", "3 out of 5": the next thing after the words is a number.
    size_t i = skip_spaces(lo, t.end);
    i += t.word_after.size();
    i = skip_spaces(lo, i);
    if (t.word_after == "out") i = skip_spaces(lo, i + 2);
    if (i < lo.size() && digit(lo[i])) return NumberKind::kRatio;
  }

  // List numbering: "1." or "1)" opening a line.
  if (at_line_start(lo, t.begin) && c.size() <= 2 && t.end < lo.size() &&
      (lo[t.end] == ')' || (lo[t.end] == '.' && (t.end + 1 == lo.size() || !digit(lo[t.end + 1])))))
    return NumberKind::kListNumber;
  if (before == '(' && t.end < lo.size() && lo[t.end] == ')' && at_line_start(lo, t.begin))
    return NumberKind::kListNumber;

  if (dots == 1 && separators == 1) return NumberKind::kQuantity;  // 3.5
  if (c.find(',') != std::string::npos)
    return v >= 1000 ? NumberKind::kCount : NumberKind::kQuantity;  // 10,000
  if (all_digits(c)) {
    if (c.size() > 1 && c[0] == '0') return NumberKind::kIdentifier;  // 007, 0800
    if (c.size() >= 7) return NumberKind::kIdentifier;                // phone numbers, ids
    if (c.size() == 4 && v >= 1800 && v <= 2099) return NumberKind::kYear;
    if (v >= 1000) return NumberKind::kCount;  // 5000 steps
  }
  return NumberKind::kQuantity;
}

// The currency sign right before begin ($ € £ ¥ ₹, perhaps a space between):
// the bytes from the sign to begin, or 0.
size_t currency_before(const std::string& s, size_t begin) {
  for (const size_t gap : {0, 1}) {
    if (gap == 1 && (begin == 0 || s[begin - 1] != ' ')) break;
    for (const char* sign : {"$", "\xE2\x82\xAC", "\xC2\xA3", "\xC2\xA5", "\xE2\x82\xB9"}) {
      if (ends_with(s, begin - gap, sign)) return std::string(sign).size() + gap;
    }
  }
  return 0;
}

}  // namespace

const char* number_kind_name(NumberKind k) {
  switch (k) {
    case NumberKind::kPercent:
      return "percent";
    case NumberKind::kRatio:
      return "ratio";
    case NumberKind::kMultiplier:
      return "multiplier";
    case NumberKind::kMoney:
      return "money";
    case NumberKind::kCount:
      return "count";
    case NumberKind::kQuantity:
      return "quantity";
    case NumberKind::kYear:
      return "year";
    case NumberKind::kDate:
      return "date";
    case NumberKind::kTime:
      return "time";
    case NumberKind::kVersion:
      return "version";
    case NumberKind::kListNumber:
      return "list_number";
    case NumberKind::kOrdinal:
      return "ordinal";
    case NumberKind::kIdentifier:
      return "identifier";
  }
  return "quantity";
}

bool is_statistic(NumberKind k) {
  return k == NumberKind::kPercent || k == NumberKind::kRatio || k == NumberKind::kMultiplier ||
         k == NumberKind::kMoney || k == NumberKind::kCount;
}

bool is_number(NumberKind k) { return is_statistic(k) || k == NumberKind::kQuantity; }

std::vector<NumberMention> read_numbers(const std::string& prose) {
  std::string lo = prose;
  std::transform(lo.begin(), lo.end(), lo.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<NumberMention> out;
  size_t i = 0;
  while (i < lo.size()) {
    if (!digit(lo[i])) {
      ++i;
      continue;
    }
    Token t;
    t.begin = i;
    size_t j = i;
    while (j < lo.size()) {
      if (digit(lo[j])) {
        ++j;
      } else if ((lo[j] == '.' || lo[j] == ',' || lo[j] == ':' || lo[j] == '/' || lo[j] == '-') &&
                 j + 1 < lo.size() && digit(lo[j + 1])) {
        ++j;
      } else {
        break;
      }
    }
    t.end = j;
    t.core = lo.substr(i, j - i);
    size_t k = j;
    if (k < lo.size() && lo[k] == '%') {
      t.percent = true;
      ++k;
    } else if (k + 1 < lo.size() && lo[k] == '\'' && lo[k + 1] == 's') {
      t.suffix = "s";  // 1990's
      k += 2;
    } else {
      t.suffix = word_starting_at(lo, k);
      k += t.suffix.size();
    }
    size_t before_word_end = t.begin > 0 && lo[t.begin - 1] == ' ' ? t.begin - 1 : t.begin;
    if (before_word_end > 0 && lo[before_word_end - 1] == '.') --before_word_end;  // "Apr. 2"
    t.word_before = word_ending_at(lo, before_word_end);
    size_t a = skip_spaces(lo, k);
    t.word_after = word_starting_at(lo, a);
    a = skip_spaces(lo, a + t.word_after.size());
    if (a < lo.size() && lo[a] == '.') a = skip_spaces(lo, a + 1);  // "3 p.m."
    t.word_after2 = word_starting_at(lo, a);
    t.after = k;
    const size_t sign = currency_before(lo, t.begin);
    t.money = sign > 0 || (t.suffix.empty() && in(t.word_after, kMoneyWords));
    NumberMention m;
    m.kind = classify(lo, t);
    m.text = prose.substr(t.begin - sign, k - (t.begin - sign));
    out.push_back(std::move(m));
    i = k;
  }
  return out;
}

}  // namespace gl::learn
