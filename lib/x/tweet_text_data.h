// Data compiled in from Debian's publicsuffix and unicode-data packages by
// cmake/embed_text_data.cmake (generated/tweet_text_data.cpp).
#pragma once

namespace gl::x::detail {

// Every top-level domain, separated by "|".
extern const char* const kTopLevelDomains;
// Code points in hex separated by spaces ("1F1E6 1F1E8"); the arrays end in nullptr.
extern const char* const kEmojiSequences[];
extern const char* const kEmojiVariationSequences[];

}  // namespace gl::x::detail
