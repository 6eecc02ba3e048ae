// X's rules for a post's text: NFC normalisation and weighted length (most
// Latin characters 1, emoji and CJK 2, every URL 23; the limit is 280).
#pragma once

#include <string>

namespace gl::x {

inline constexpr int kMaxWeightedLength = 280;
inline constexpr int kUrlWeight = 23;

std::string nfc(const std::string& utf8);
// The weighted length of the NFC form of text.
int weighted_length(const std::string& text);
// True when text is valid UTF-8.
bool valid_utf8(const std::string& text);

}  // namespace gl::x
