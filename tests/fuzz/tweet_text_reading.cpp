// Everything tweet_text reads in one text, as a string, for the tweet_text
// fuzz target: parse_tweet, read_tweet, each extract_* and without_entities.
// Traps on what must hold whatever the text: entities in text order, within
// it, never overlapping. bench/text_fuzz_reference.sh compiles this file a
// second time against an older tweet_text (namespace renamed) to compare.
#include <string>
#include <vector>

#include "x/tweet_text.h"

namespace gl {

namespace {

void append(std::string& out, const char* what, const std::vector<x::Entity>& entities) {
  out += what;
  for (const auto& e : entities) {
    out += ' ' + std::string(x::entity_type_name(e.type)) + ':' + e.text + e.list_slug + '@' +
           std::to_string(e.start) + '-' + std::to_string(e.end);
  }
  out += '\n';
}

void append(std::string& out, const char* what, const x::TweetLength& l) {
  out += std::string(what) + ' ' + std::to_string(l.weighted_length) + ' ' +
         (l.valid ? "valid " : "invalid ") + std::to_string(l.valid_range_end) + '\n';
}

void check_in_order(const std::vector<x::Entity>& entities) {
  int at = 0;
  for (const auto& e : entities) {
    if (e.start < at || e.end <= e.start) __builtin_trap();
    at = e.end;
  }
}

}  // namespace

std::string text_reading(const std::string& text) {
  std::string out;
  append(out, "length", x::parse_tweet(text));
  const x::TweetReading reading = x::read_tweet(text);
  append(out, "read", reading.length);
  append(out, "read", reading.entities);
  append(out, "urls", x::extract_urls(text));
  append(out, "mentions", x::extract_mentions(text));
  append(out, "hashtags", x::extract_hashtags(text));
  append(out, "cashtags", x::extract_cashtags(text));
  const std::vector<x::Entity> all = x::extract_entities(text);
  append(out, "all", all);
  check_in_order(all);
  check_in_order(reading.entities);
  out += x::without_entities(text, all) + '\n';
  return out;
}

}  // namespace gl
