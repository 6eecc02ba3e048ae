#include "sandbox/post_length.h"

#include <cctype>

namespace gl::sandbox {

namespace {

// The next code point of UTF-8 text at i (a stray byte counts as itself).
unsigned next_code_point(const std::string& s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned b = byte(i);
  const size_t len = b < 0x80           ? 1
                     : (b >> 5) == 0x6  ? 2
                     : (b >> 4) == 0xE  ? 3
                     : (b >> 3) == 0x1E ? 4
                                        : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return b;
  }
  unsigned cp = b & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += len;
  return cp;
}

bool light(unsigned cp) {
  return cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) ||
         (cp >= 8242 && cp <= 8247);
}

// Marks that join or modify the character before them: they add nothing.
bool joins(unsigned cp) {
  return (cp >= 0x300 && cp <= 0x36F) || cp == 0x200D || cp == 0xFE0F || cp == 0xFE0E ||
         cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF) || (cp >= 0xE0020 && cp <= 0xE007F);
}

bool regional_indicator(unsigned cp) { return cp >= 0x1F1E6 && cp <= 0x1F1FF; }

}  // namespace

int post_weight(const std::string& text) {
  int weight = 0;
  unsigned previous = 0;
  bool pair_open = false;  // a flag's first regional indicator
  size_t i = 0;
  while (i < text.size()) {
    const bool word_start = i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1]));
    if (word_start && (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0)) {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      weight += 23;
      previous = 0;
      continue;
    }
    const unsigned cp = next_code_point(text, i);
    if (joins(cp) || previous == 0x200D) {
      previous = cp;
      continue;
    }
    if (regional_indicator(cp) && pair_open) {
      pair_open = false;
      previous = cp;
      continue;
    }
    pair_open = regional_indicator(cp);
    weight += light(cp) ? 1 : 2;
    previous = cp;
  }
  return weight;
}

}  // namespace gl::sandbox
