// Emoji sequences from Unicode's own data (emoji-sequences.txt,
// emoji-zwj-sequences.txt, emoji-variation-sequences.txt, compiled in at
// configure time). twitter-text counts what twemoji-parser (14) matches as one
// emoji of weight 2; that is this data read with three of twemoji's habits:
//   - a keycap without U+FE0F ("1" U+20E3) is an emoji too;
//   - a digit, # or * followed by U+FE0F but no keycap is not;
//   - U+FE0F after an emoji-presentation character joins it only for the
//     characters older than Unicode 6.0 (⭐️, ⚡️): the variation sequences
//     Emoji 14.0 added for the 6.0 ones (👍️, ⏳️) are not in twemoji 14, so
//     there the U+FE0F counts 2 on its own.
// Known differences from twemoji-parser 14, all rare (Unicode's data wins):
// Emoji 15.0 sequences (🐦‍⬛, 🫷🏻) count 2 here, and so do ♾️ and 👁️‍🗨️,
// which twemoji 14 splits.
#include <unicode/uchar.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <unordered_set>

#include "x/tweet_text_data.h"
#include "x/tweet_text_detail.h"

namespace gl::x::detail {

namespace {

struct EmojiTable {
  std::unordered_set<std::u16string> sequences;
  std::unordered_set<UChar32> starts;  // first code points of the sequences
  int longest = 0;                     // in code points
};

std::vector<UChar32> parse_hex(const char* line) {
  std::vector<UChar32> cps;
  const char* p = line;
  while (*p != '\0') {
    char* end = nullptr;
    cps.push_back(static_cast<UChar32>(std::strtol(p, &end, 16)));
    if (end == p) break;
    p = end;
    while (*p == ' ') ++p;
  }
  return cps;
}

// Does c take a following U+FE0F into one emoji? (See the third habit above.)
bool joins_variation_selector(UChar32 c) {
  if (!u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION)) return true;
  UVersionInfo age;
  u_charAge(c, age);
  return age[0] < 6;
}

std::u16string utf16(const std::vector<UChar32>& cps) {
  icu::UnicodeString s;
  for (UChar32 c : cps) s.append(c);
  return std::u16string(s.getBuffer(), static_cast<size_t>(s.length()));
}

const EmojiTable& table() {
  static const EmojiTable t = [] {
    EmojiTable t;
    auto add = [&t](const std::vector<UChar32>& cps) {
      t.sequences.insert(utf16(cps));
      t.starts.insert(cps.front());
      t.longest = std::max(t.longest, static_cast<int>(cps.size()));
    };
    std::set<UChar32> keycap_bases;
    for (const char* const* line = kEmojiSequences; *line != nullptr; ++line) {
      std::vector<UChar32> cps = parse_hex(*line);
      if (cps.size() < 2) continue;
      add(cps);
      if (cps.back() == 0x20E3) {
        keycap_bases.insert(cps.front());
        cps.erase(std::remove(cps.begin(), cps.end(), 0xFE0F), cps.end());
        add(cps);
      }
    }
    for (const char* const* line = kEmojiVariationSequences; *line != nullptr; ++line) {
      const std::vector<UChar32> cps = parse_hex(*line);
      if (cps.size() == 2 && keycap_bases.count(cps.front()) == 0 &&
          joins_variation_selector(cps.front())) {
        add(cps);
      }
    }
    return t;
  }();
  return t;
}

}  // namespace

std::vector<Span> find_emoji_sequences(const icu::UnicodeString& text) {
  const EmojiTable& t = table();
  std::vector<Span> found;
  std::vector<int32_t> ends;  // end of the 1st, 2nd, ... code point from here
  const int32_t n = text.length();
  int32_t i = 0;
  while (i < n) {
    const UChar32 c = text.char32At(i);
    const int32_t next = i + U16_LENGTH(c);
    if (t.starts.count(c) == 0) {
      i = next;
      continue;
    }
    ends.clear();
    for (int32_t j = i; j < n && static_cast<int>(ends.size()) < t.longest;) {
      j += U16_LENGTH(text.char32At(j));
      ends.push_back(j);
    }
    int32_t matched = -1;
    for (size_t k = ends.size(); k >= 2 && matched < 0; --k) {
      const std::u16string candidate(text.getBuffer() + i, static_cast<size_t>(ends[k - 1] - i));
      if (t.sequences.count(candidate) != 0) matched = ends[k - 1];
    }
    if (matched > 0) {
      found.push_back({i, matched});
      i = matched;
    } else {
      i = next;
    }
  }
  return found;
}

}  // namespace gl::x::detail
