// import-history's shortcuts in reading posts give what the full reading gives:
// the tags of a post read alone (learn::tag_features), a text's key with only
// its non-ASCII runs through ICU (import::text_key), the archive's times read
// by their shape (import::parse_export_time).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "import/export_time.h"
#include "import/post_reading.h"
#include "import/text_key.h"
#include "learn/text_features.h"
#include "test_data.h"

namespace {

// The real tweets, and made-up posts that reach each hook and length band.
std::vector<std::string> sample_posts() {
  std::vector<std::string> posts;
  for (const auto& row : gl::test::read_csv_file("real-tweets/tweets.csv"))
    posts.push_back(row.at("text"));
  for (const char* p :
       {"How to cut your build time in half: cache the dependencies, then split the tests.",
        "5 tips for better sleep:\n1. Dark room\n2. No screens\n3. Same hour\n4. Cool air",
        "Myth: we only use 10% of our brains. Scans show every region at work.",
        "Unpopular opinion: tests are documentation.", "Why do cats purr?",
        "I quit my job last year. Best decision I ever made.",
        "73% of people never read past the headline.", "", "   ",
        "https://t.co/abc @someone #tag $TSLA",
        "Ça coûte 3 € — vraiment ? Les données de l’étude le disent."}) {
    posts.emplace_back(p);
  }
  posts.push_back(std::string(150, 'a') + " " + std::string(150, 'b'));
  return posts;
}

}  // namespace

TEST_CASE("import files a post under the tags analyze_text reads for it") {
  for (const auto& text : sample_posts()) {
    CAPTURE(text);
    const gl::learn::TextFeatures full = gl::learn::analyze_text(text);
    const gl::learn::TagFeatures tags = gl::learn::tag_features(text);
    CHECK(tags.hook == full.hook);
    CHECK(tags.length_band == full.length_band);
    CHECK(tags.has_numbers == full.has_numbers);
    CHECK(gl::learn::post_tags(tags) == gl::learn::post_tags(full));
    const gl::import::PostReading reading = gl::import::read_post(text, {"science", "music"});
    CHECK(reading.hook == gl::learn::hook_name(full.hook));
    CHECK(reading.tags == gl::learn::post_tags(full));
  }
}

TEST_CASE("import's key of a text is the key ICU gives the whole text") {
  std::vector<std::string> texts = {
      "", " ", "Tweet-ID", "tweet id", "  Tweet   ID  ", "Impressions", "Profile_visits",
      "\"Likes\"", "Nov", "MARCH", "Tue", "a\tb\nc\rd", "--x__y--", "I", "K",
      std::string("nul\0byte", 8),
      // Marks after ASCII letters, marks in a row, expansions,
      // characters that fold or decompose to ASCII.
      "Cafe\xCC\x81 MUSIC", "e\xCC\x81\xCC\xA3x",
      "Stra\xC3\x9F"
      "e",
      "\xEF\xAC\x81ne", "\xC4\xB0stanbul",
      "\xE2\x84\xAA"
      "elvin",
      "\xEF\xBC\xB4\xEF\xBC\xA9\xEF\xBC\xA4 ID",
      "j\xE2\x80\x99"
      "aime",
      "Impress\xC3\xB5"
      "es",
      "\xCE\xA3\xCE\x91\xCE\xA3 X", "\xE2\x80\x94-\xE2\x80\x94", "bad \xFF utf8"};
  // Every ASCII character, alone and in a run with letters of both cases.
  std::string all;
  for (int c = 0; c < 0x80; ++c) {
    texts.emplace_back(1, static_cast<char>(c));
    texts.push_back("Ab" + std::string(1, static_cast<char>(c)) + "Zy\xC3\x89");
    all += static_cast<char>(c);
  }
  texts.push_back(all);
  for (const auto& row : gl::test::read_csv_file("real-tweets/tweets.csv"))
    texts.push_back(row.at("text"));
  for (const auto& text : texts) {
    CAPTURE(text);
    CHECK(gl::import::text_key(text) == gl::import::detail::text_key_by_icu(text));
  }
  CHECK(gl::import::text_key("Impress\xC3\xB5"
                             "es") == "impressoes");
  CHECK(gl::import::text_key("\xEF\xBC\xB4\xEF\xBC\xB7\xEF\xBC\xA5\xEF\xBC\xA5\xEF\xBC\xB4 "
                             "\xEF\xBC\xA9\xEF\xBC\xA4") == "tweet id");
  CHECK(gl::import::text_key("bad \xFF utf8").empty());
}

TEST_CASE("import reads the archive's times as the general reading of export times does") {
  std::vector<std::string> times = {"Sat Feb 18 12:33:11 +0000 2023"};
  for (const char* weekday : {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mar", "Xyz"}) {
    for (const char* month : {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                              "Nov", "Dec", "Tue", "Abr", "nov"}) {
      times.push_back(std::string(weekday) + " " + month + " 18 12:33:11 +0000 2023");
    }
  }
  for (const char* day : {"00", "01", "09", "28", "29", "30", "31", "32", "99"}) {
    for (const char* month : {"Feb", "Apr", "Dec"}) {
      for (const char* year : {"2023", "2024", "1969", "1970", "2200", "2201", "0000"})
        times.push_back(std::string("Wed ") + month + " " + day + " 10:00:00 +0000 " + year);
    }
  }
  for (const char* clock :
       {"00:00:00", "23:59:59", "23:59:60", "23:59:61", "24:00:00", "12:60:00", "99:99:99"}) {
    for (const char* zone : {"+0000", "-0000", "-0500", "+0530", "+1400", "+2400", "-9999"})
      times.push_back(std::string("Thu Dec 31 ") + clock + " " + zone + " 2020");
  }
  // Near the shape, for the general reading alone.
  for (const char* t : {"Sat Feb 18 12:33:11 +0000 2023 ", " Sat Feb 18 12:33:11 +0000 2023",
                        "Sat Feb  8 12:33:11 +0000 2023", "Sat Feb 18 12:33:11 0000 2023",
                        "Sat Feb 18 12:33 +0000 2023", "Sat,Feb 18 12:33:11 +0000 2023",
                        "Sat Feb 18 12:33:11 +0000 20x3", "Sat Feb 18 2:33:11 +0000 2023",
                        "Sat Feb 18 12:33:11 +00:00 2023"})
    times.emplace_back(t);
  for (const auto& t : times) {
    CAPTURE(t);
    const auto fast = gl::import::parse_export_time(t);
    const auto general = gl::import::detail::parse_export_time_in_general(t, false);
    REQUIRE(fast.has_value() == general.has_value());
    if (fast) {
      CHECK(fast->at == general->at);
      CHECK(fast->has_time == general->has_time);
    }
  }
  CHECK(gl::format_iso8601(gl::import::parse_export_time("Sat Feb 18 12:33:11 -0130 2023")->at) ==
        "2023-02-18T14:03:11Z");
  // Two month names ("mar." is also Spanish Tuesday): which one is meant is a guess, so no date.
  CHECK_FALSE(gl::import::parse_export_time("Mar Feb 18 12:33:11 +0000 2023"));
  CHECK_FALSE(gl::import::parse_export_time("mar., 18 feb. 2023"));
  CHECK(gl::format_iso8601(gl::import::parse_export_time("18 feb. 2023")->at) ==
        "2023-02-18T00:00:00Z");
}
