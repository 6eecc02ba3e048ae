// X's counting and entities against X's own cases, the reference implementation
// and 714 real tweets (tests/data/twitter-text, tests/data/real-tweets).
#include "x/tweet_text.h"

#include <catch2/catch.hpp>

#include "test_data.h"
#include "x/parse.h"

using gl::test::read_csv_file;
using gl::test::read_json_lines_file;
using namespace gl::x;
using nlohmann::json;

namespace {

json with_indices(const std::vector<Entity>& entities, const char* key) {
  json out = json::array();
  for (const auto& e : entities) out.push_back({{key, e.text}, {"indices", {e.start, e.end}}});
  return out;
}

json names(const std::vector<Entity>& entities) {
  json out = json::array();
  for (const auto& e : entities) out.push_back(e.text);
  return out;
}

json triples(const std::vector<Entity>& entities) {
  json out = json::array();
  for (const auto& e : entities) out.push_back({e.text, e.start, e.end});
  return out;
}

}  // namespace

TEST_CASE("weighted length, validity and valid range match X's v3 conformance cases") {
  const auto cases = read_json_lines_file("twitter-text/weighted_length_v3.jsonl");
  REQUIRE(cases.size() == 24);
  for (const auto& c : cases) {
    const std::string text = c["text"];
    INFO(text);
    const TweetLength r = parse_tweet(text);
    CHECK(r.weighted_length == c["weighted_length"].get<int>());
    CHECK(r.valid == c["valid"].get<bool>());
    CHECK(r.valid_range_end == c["valid_range_end"].get<int>());
  }
}

TEST_CASE("URLs, mentions, hashtags and cashtags match X's extraction conformance cases") {
  const auto cases = read_json_lines_file("twitter-text/extract.jsonl");
  REQUIRE(cases.size() == 220);
  int checked = 0;
  for (const auto& c : cases) {
    const std::string kind = c["kind"], text = c["text"];
    INFO(kind << ": " << text);
    json got;
    if (kind == "urls" || kind == "tco_urls_with_params") {
      got = names(extract_urls(text));
    } else if (kind == "urls_with_indices" || kind == "urls_with_directional_markers") {
      got = with_indices(extract_urls(text), "url");
    } else if (kind == "hashtags" || kind == "hashtags_from_astral") {
      got = names(extract_hashtags(text));
    } else if (kind == "hashtags_with_indices") {
      got = with_indices(extract_hashtags(text), "hashtag");
    } else if (kind == "mentions") {
      got = names(extract_mentions(text));
    } else if (kind == "mentions_with_indices") {
      got = with_indices(extract_mentions(text), "screen_name");
    } else if (kind == "cashtags") {
      got = names(extract_cashtags(text));
    } else if (kind == "cashtags_with_indices") {
      got = with_indices(extract_cashtags(text), "cashtag");
    } else {
      FAIL("unknown kind " << kind);
    }
    CHECK(got == c["expected"]);
    ++checked;
  }
  CHECK(checked == 220);
}

TEST_CASE("length and entities match twitter-text 3.1.0 on 600 generated texts") {
  // oracle_cases.jsonl: generate_oracle_cases.js run against the npm package.
  const auto cases = read_json_lines_file("twitter-text/oracle_cases.jsonl");
  REQUIRE(cases.size() == 600);
  for (const auto& c : cases) {
    const std::string text = c["text"];
    INFO(json(text).dump());
    const TweetLength r = parse_tweet(text);
    CHECK(r.weighted_length == c["weighted_length"].get<int>());
    CHECK(r.valid == c["valid"].get<bool>());
    CHECK(r.valid_range_end == c["valid_range_end"].get<int>());
    json all = json::array();
    for (const auto& e : extract_entities(text))
      all.push_back({entity_type_name(e.type), e.text, e.list_slug, e.start, e.end});
    CHECK(all == c["entities"]);
    CHECK(triples(extract_urls(text)) == c["urls"]);
    CHECK(triples(extract_hashtags(text)) == c["hashtags"]);
    CHECK(triples(extract_mentions(text)) == c["mentions"]);
    CHECK(triples(extract_cashtags(text)) == c["cashtags"]);
  }
}

TEST_CASE("all 714 real tweets have X's reference weighted length") {
  // weighted_length_ref was computed over the text as the CSV stores it, still
  // HTML-escaped (&amp; counts 5): all 714 match that form and 38 would not match
  // the decoded one. X itself counts the decoded text: 7 of these tweets are
  // over 280 escaped but within 280 decoded, and X accepted them.
  const auto tweets = read_csv_file("real-tweets/tweets.csv");
  const auto decoded = read_csv_file("real-tweets/decoded_lengths.csv");
  REQUIRE(tweets.size() == 714);
  REQUIRE(decoded.size() == 714);
  int escaped_over_decoded_within = 0, differ_when_decoded = 0;
  for (size_t i = 0; i < tweets.size(); ++i) {
    const std::string& text = tweets[i].at("text");
    INFO(tweets[i].at("id") << ": " << text);
    REQUIRE(decoded[i].at("id") == tweets[i].at("id"));
    const int escaped = weighted_length(text);
    CHECK(escaped == std::stoi(tweets[i].at("weighted_length_ref")));
    // decoded_lengths.csv: twitter-text 3.1.0 over the HTML-decoded text.
    const TweetLength d = parse_tweet(decode_html_entities(text));
    CHECK(d.weighted_length == std::stoi(decoded[i].at("weighted_length_decoded")));
    CHECK(d.valid == (decoded[i].at("valid_decoded") == "true"));
    if (escaped > kMaxWeightedLength && d.valid) ++escaped_over_decoded_within;
    if (escaped != d.weighted_length) ++differ_when_decoded;
  }
  CHECK(escaped_over_decoded_within == 7);
  CHECK(differ_when_decoded == 38);
}

TEST_CASE("the counting mistakes found on real tweets are gone") {
  // Trailing punctuation is not part of a URL.
  CHECK(weighted_length("see https://t.co/x).") == 4 + 23 + 2);
  CHECK(extract_urls("(\"head\", https://example.com/a\",")[0].text == "https://example.com/a");
  // Emoji with U+FE0F, a keycap without it, a run of flags, a joiner before a letter.
  for (const char* e : {"\u2B07\uFE0F", "\u2B50\uFE0F", "\u203C\uFE0F", "\u2139\uFE0F",
                        "\u00A9\uFE0F", "1\u20E3", "1\uFE0F\u20E3"}) {
    INFO(e);
    CHECK(weighted_length(e) == 2);
  }
  CHECK(weighted_length("\U0001F1FA\U0001F1F8\U0001F1EC\U0001F1E7") == 4);  // two flags
  CHECK(weighted_length("\U0001F1FA\U0001F1F8\U0001F1EC") == 4);            // a flag and a letter
  CHECK(weighted_length("\U0001F468\u200Da") == 4);  // man, joiner (1), a (1)
  CHECK(weighted_length("\u00A9") == 1);             // copyright sign alone is text
  // An emoji-presentation character of Unicode 6.0 does not take U+FE0F (twemoji 14).
  CHECK(weighted_length("\U0001F44D\uFE0F") == 4);
  // URLs without a protocol, against the public suffix list.
  CHECK(weighted_length("example.com") == 23);
  CHECK(weighted_length("read example.com/guide.") == 5 + 23 + 1);
  CHECK(weighted_length("file.notatld") == 12);
  CHECK(extract_urls("foo.co.uk and bar.みんな and baz.xn--ls8h")[0].text == "foo.co.uk");
}

TEST_CASE("where twemoji 14 lags Unicode's data, the Unicode count is used") {
  // twemoji-parser 14 (the reference's emoji matcher) splits these; Unicode 15
  // makes each one emoji. See lib/x/tweet_text_emoji.cpp.
  CHECK(weighted_length("\U0001F426\u200D\u2B1B") == 2);  // black bird (Emoji 15.0)
  CHECK(weighted_length("\U0001FAF7\U0001F3FB") == 2);    // leftwards pushing hand, light
  CHECK(weighted_length("\u267E\uFE0F") == 2);            // infinity
  CHECK(weighted_length("\U0001F441\uFE0F\u200D\U0001F5E8\uFE0F") == 2);  // eye in bubble
}

TEST_CASE("weighted length: NFC first, URLs 23, emoji and CJK 2, the limit 280") {
  CHECK(weighted_length("hello") == 5);
  CHECK(weighted_length("see https://example.com/a/very/long/path/that/goes/on?x=1") == 4 + 23);
  CHECK(weighted_length("\U0001F600") == 2);
  CHECK(weighted_length("\U0001F44D\U0001F3FD") == 2);
  CHECK(weighted_length("\U0001F468\u200D\U0001F469\u200D\U0001F467") == 2);
  CHECK(weighted_length("\u65E5\u672C") == 4);
  CHECK(weighted_length("e\u0301") == 1);
  CHECK(parse_tweet(std::string(280, 'a')).valid);
  CHECK_FALSE(parse_tweet(std::string(281, 'a')).valid);
  CHECK_FALSE(parse_tweet("").valid);
  CHECK_FALSE(parse_tweet("ok\uFEFF").valid);
  CHECK(weighted_length(std::string(140, 'a') + std::string(70, '\xE4')) > 0);  // invalid UTF-8
  CHECK(nfc("e\u0301") == "\u00E9");
  CHECK(valid_utf8("\u00E9"));
  CHECK_FALSE(valid_utf8("\xE4"));
}

TEST_CASE("HTML entities from the API are decoded once, and nothing else is touched") {
  CHECK(decode_html_entities("Q&amp;A &lt;3 &gt; &quot;x&quot; it&#39;s &apos;") ==
        "Q&A <3 > \"x\" it's '");
  CHECK(decode_html_entities("&amp;lt;") == "&lt;");
  CHECK(decode_html_entities("&#x1F600; &#128512;") == "\U0001F600 \U0001F600");
  for (const char* kept : {"AT&T", "&bogus;", "&#0;", "&#xD800;", "&#x110000;", "fish & chips", "&",
                           "&amp", "&#;", "&#xZZ;"}) {
    INFO(kept);
    CHECK(decode_html_entities(kept) == kept);
  }
}

TEST_CASE("text read from X's responses is HTML-decoded before anything reads it") {
  const auto lookup = parse_tweet_lookup(
      R"({"data":[{"id":"1800000000000000001","text":"Q&amp;A: 3 &lt; 4 &gt; 2 &amp;amp;"}]})");
  REQUIRE(lookup.tweets.size() == 1);
  CHECK(lookup.tweets[0].text == "Q&A: 3 < 4 > 2 &amp;");
  const auto timeline = parse_timeline(R"({"data":[{"id":"7","text":"R&amp;D"}]})");
  REQUIRE(timeline.size() == 1);
  CHECK(timeline[0].text == "R&D");
  CHECK(parse_post(R"({"data":{"id":"8","text":"fish &amp; chips"}})").text == "fish & chips");
}

TEST_CASE("entities carry UTF-16 indices and can be taken out of the text") {
  const std::string text = "\U0001F600 @ana: see #Sleep, $SPY and t.co/x1 \u65E5";
  const auto all = extract_entities(text);
  REQUIRE(all.size() == 4);
  CHECK(std::string(entity_type_name(all[0].type)) == "mention");
  CHECK(all[0].start == 3);  // the emoji is two UTF-16 code units
  CHECK(all[0].end == 7);
  CHECK(std::string(entity_type_name(all[1].type)) == "hashtag");
  CHECK(std::string(entity_type_name(all[2].type)) == "cashtag");
  CHECK(std::string(entity_type_name(all[3].type)) == "url");
  CHECK(all[3].text == "t.co/x1");
  CHECK(without_entities(text, all) == "\U0001F600  : see  ,   and   \u65E5");
  const auto lists = extract_entities("cc @ana/friends");
  REQUIRE(lists.size() == 1);
  CHECK(lists[0].list_slug == "/friends");
  CHECK(extract_mentions("cc @ana/friends").empty());
}

TEST_CASE("URLs are found only around a dot that can start a domain, with ICU's case folding") {
  // The search runs on the runs of non-spaces holding such a dot; what is
  // around them, before and after, is kept as the pattern sees it.
  CHECK(triples(extract_urls("a.b 1.5 e.g. \u3000see\u3000x.com/a,\u00A0and https://t.co/ab12")) ==
        json::parse(R"([["x.com/a", 18, 25], ["https://t.co/ab12", 31, 48]])"));
  CHECK(triples(extract_urls("x.com")) == json::parse(R"([["x.com", 0, 5]])"));
  CHECK(extract_urls("x.comm y.co- z.co@").empty());
  CHECK(extract_urls("no dot followed by a letter: 1.2.3 . , .9").empty());
  // ICU matches case-insensitively with full case folding (twitter-text's
  // JavaScript does not): U+212A KELVIN SIGN is k, U+017F LONG S is s, U+00DF
  // is ss. The domains grouped by their first letter keep these.
  CHECK(names(extract_urls("a \u212Aiwi.\u212Aim b")) == json::parse(R"(["\u212Aiwi.\u212Aim"])"));
  CHECK(names(extract_urls("http://x.\u017Fhop")) == json::parse(R"(["http://x.\u017Fhop"])"));
  CHECK(names(extract_urls("see foo.busine\u00DF now")) == json::parse(R"(["foo.busine\u00DF"])"));
  // Of two domains both ending here the longer wins, whatever its script.
  CHECK(
      names(extract_urls("http://\u092D\u093E\u0930\u0924.\u092D\u093E\u0930\u0924\u092E\u094D")) ==
      json::parse(R"(["http://\u092D\u093E\u0930\u0924.\u092D\u093E\u0930\u0924\u092E\u094D"])"));
}

TEST_CASE("a hashtag's boundary may be an astral character, two code units before the #") {
  const auto all =
      extract_entities("\U0001F44D#tag \u2764\uFE0F#love a#no \U0001F600RT:@ana x$AAPL \u3000$SPY");
  json got = json::array();
  for (const auto& e : all) got.push_back({entity_type_name(e.type), e.text, e.start, e.end});
  CHECK(got == json::parse(R"([["hashtag", "tag", 2, 6], ["hashtag", "love", 9, 14],
                               ["mention", "ana", 25, 29], ["cashtag", "SPY", 38, 42]])"));
}
