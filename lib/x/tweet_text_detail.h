// What tweet_text's parts share: UTF-16 text (X's indices are UTF-16 code
// units) and the URL and emoji finders the weighted length is built on.
#pragma once

#include <unicode/unistr.h>

#include <cstdint>
#include <string>
#include <vector>

#include "x/tweet_text.h"

namespace gl::x::detail {

icu::UnicodeString to_utf16(const std::string& utf8);
std::string to_utf8(const icu::UnicodeString& text);

struct UrlMatch {
  int32_t start = 0;
  int32_t end = 0;
  icu::UnicodeString url;  // twitter-text's url string (its length is what parseTweet skips)
};
// twitter-text's extractUrlsWithIndices.
std::vector<UrlMatch> find_urls(const icu::UnicodeString& text);
// extract_entities of text whose URLs are found already.
std::vector<Entity> entities_with_urls(const icu::UnicodeString& text,
                                       const std::vector<UrlMatch>& urls);

struct Span {
  int32_t start = 0;
  int32_t end = 0;
};
// Emoji sequences of two or more code points, left to right, longest first.
// A single code point needs no match: its weight in the v3 table is already 2.
std::vector<Span> find_emoji_sequences(const icu::UnicodeString& text);

}  // namespace gl::x::detail
