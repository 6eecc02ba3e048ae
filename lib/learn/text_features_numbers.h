// The numbers in a post's prose and what each one is. To the learners only a
// quantity is a number, and only a measured one (a percentage, a ratio, a
// multiplier, money, a large count) is a statistic; years, dates, times,
// versions, list numbering, ordinals and identifiers ("GPT-4", "no. 27", a
// phone number) are read, named and left out. The prose is the text with its
// URLs, mentions, hashtags and cashtags taken out (x::without_entities), so the
// digits of a t.co link or an @handle are never numbers.
#pragma once

#include <string>
#include <vector>

namespace gl::learn {

enum class NumberKind {
  // Statistics: measured quantities.
  kPercent,     // 73%, 40 percent
  kRatio,       // 1 in 4, 3 out of 5, 3/4 of
  kMultiplier,  // 3x, 10 times more
  kMoney,       // $2bn, 50 euros
  kCount,       // 10,000, 5000 steps, 100k, 2 million
  // Other quantities.
  kQuantity,    // 18 months, 5 km, 3 people
  kYear,        // 2023, the 1990s
  kDate,        // 5/12, 2023-01-05, May 5
  kTime,        // 10:30, 3pm
  kVersion,     // v2, 1.2.3, iOS 17
  kListNumber,  // "1." at a line's start, thread markers 1/5, Top 10
  kOrdinal,     // 1st, #1
  kIdentifier,  // GPT-4, no. 27, 3-1, 0800 123456
};

const char* number_kind_name(NumberKind k);  // "percent", "quantity", ...

struct NumberMention {
  std::string text;  // as written, with its sign or unit ("$2bn", "73%")
  NumberKind kind = NumberKind::kQuantity;
};

std::vector<NumberMention> read_numbers(const std::string& prose);

// A statistic: percent, ratio, multiplier, money or count.
bool is_statistic(NumberKind k);
// A statistic or another quantity.
bool is_number(NumberKind k);

}  // namespace gl::learn
