#include "x/tweet_text.h"

#include <utf8proc.h>

#include <cstdlib>
#include <regex>
#include <vector>

namespace gl::x {

namespace {

// twitter-text v3: these code point ranges weigh 1, everything else 2.
bool is_light(utf8proc_int32_t cp) {
  return (cp >= 0 && cp <= 4351) || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) ||
         (cp >= 8242 && cp <= 8247);
}

bool is_emoji_modifier(utf8proc_int32_t cp) {
  return cp == 0x200D || cp == 0xFE0F || cp == 0xFE0E || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
         (cp >= 0xE0020 && cp <= 0xE007F) || cp == 0x20E3;
}

bool is_emoji_base(utf8proc_int32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) ||
         (cp >= 0x1F1E6 && cp <= 0x1F1FF);
}

std::vector<utf8proc_int32_t> code_points(const std::string& s) {
  std::vector<utf8proc_int32_t> out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) {  // invalid byte: count it as one heavy character
      out.push_back(0xFFFD);
      ++p;
      --left;
      continue;
    }
    out.push_back(cp);
    p += n;
    left -= n;
  }
  return out;
}

int weigh(const std::string& text) {
  const auto cps = code_points(text);
  int weight = 0;
  for (size_t i = 0; i < cps.size(); ++i) {
    const auto cp = cps[i];
    if (is_emoji_base(cp)) {
      weight += 2;
      // A whole emoji sequence (skin tones, ZWJ joins, flags) counts once.
      while (i + 1 < cps.size()) {
        if (is_emoji_modifier(cps[i + 1])) {
          ++i;
          if (cps[i] == 0x200D && i + 1 < cps.size()) ++i;
        } else if (cp >= 0x1F1E6 && cp <= 0x1F1FF && cps[i + 1] >= 0x1F1E6 &&
                   cps[i + 1] <= 0x1F1FF) {
          ++i;
        } else {
          break;
        }
      }
      continue;
    }
    weight += is_light(cp) ? 1 : 2;
  }
  return weight;
}

}  // namespace

bool valid_utf8(const std::string& text) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

std::string nfc(const std::string& utf8) {
  if (!valid_utf8(utf8)) return utf8;
  utf8proc_uint8_t* out = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(utf8.c_str()));
  if (out == nullptr) return utf8;
  std::string result(reinterpret_cast<char*>(out));
  std::free(out);
  return result;
}

int weighted_length(const std::string& text) {
  static const std::regex kUrl(R"((https?://[^\s]+))", std::regex::icase);
  const std::string normal = nfc(text);
  int total = 0;
  auto begin = std::sregex_iterator(normal.begin(), normal.end(), kUrl);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    total += weigh(normal.substr(last, static_cast<size_t>(it->position()) - last)) + kUrlWeight;
    last = static_cast<size_t>(it->position() + it->length());
  }
  return total + weigh(normal.substr(last));
}

}  // namespace gl::x
