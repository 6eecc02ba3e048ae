// X's rules for a post's text, as twitter-text v3 (3.1.0) applies them: the
// text is NFC-normalised, URLs (with or without a protocol, against the Public
// Suffix List's top-level domains) count 23 each, every emoji sequence (by
// Unicode's emoji data) counts 2, and every other character weighs 1 or 2 by
// the v3 table; the limit is 280. Entities (URLs, mentions, hashtags,
// cashtags) are found with X's boundaries and carry UTF-16 indices, as X's do.
// Every length check and every text feature in growthloop goes through here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gl::x {

inline constexpr int kMaxWeightedLength = 280;
inline constexpr int kUrlWeight = 23;

// NFC form of UTF-8 text (invalid bytes become U+FFFD).
std::string nfc(const std::string& utf8);
// True when text is valid UTF-8.
bool valid_utf8(const std::string& text);
// The text with each run of `separators` (ASCII) as one space, none at the ends.
std::string squeeze(const std::string& text, std::string_view separators = " \t\r\n");

// Text as the X API returns it has &, < and > escaped (&amp; &lt; &gt;); this
// undoes those and the other common entities (&quot; &#39; &apos; &#NNN; &#xHH;)
// in one pass. Everything that reads text from X calls it before any analysis.
std::string decode_html_entities(const std::string& api_text);

struct TweetLength {
  int weighted_length = 0;
  bool valid = false;       // X would accept it: 1..280 weighted and no U+FFFE, U+FEFF, U+FFFF
  int valid_range_end = 0;  // UTF-16 index of the last character within the limit
};

// The weighted length of the NFC form of text, twitter-text's parseTweet.
TweetLength parse_tweet(const std::string& text);
int weighted_length(const std::string& text);

enum class EntityType { kUrl, kMention, kHashtag, kCashtag };
const char* entity_type_name(EntityType t);  // "url", "mention", "hashtag", "cashtag"

struct Entity {
  EntityType type = EntityType::kUrl;
  std::string text;       // the URL; the name without @, # or $
  std::string list_slug;  // "/list" after a mention of a list, else empty
  int start = 0;          // UTF-16 code units into the text, end exclusive
  int end = 0;
};

// Each as twitter-text's extract*WithIndices, in text order, on the text as given
// (no normalisation).
std::vector<Entity> extract_urls(const std::string& text);
std::vector<Entity> extract_mentions(const std::string& text);  // without lists
std::vector<Entity> extract_hashtags(const std::string& text);  // none inside a URL
std::vector<Entity> extract_cashtags(const std::string& text);
// All four (mentions with their lists), overlaps removed, in text order.
std::vector<Entity> extract_entities(const std::string& text);

// parse_tweet and extract_entities of one text, its URLs read once when the
// text is in NFC already (analysis reads the NFC form): the URL pattern is
// most of the time of both.
struct TweetReading {
  TweetLength length;
  std::vector<Entity> entities;
};
TweetReading read_tweet(const std::string& text);

// The text with each entity's span replaced by one space.
std::string without_entities(const std::string& text, const std::vector<Entity>& entities);

}  // namespace gl::x
