// Pure pieces of harvest: X's old and new field names, trends' post counts,
// trend-to-topic matching, and x-sandbox's reading of search queries.
#include <catch2/catch.hpp>

#include "learn/trend_match.h"
#include "sandbox/billing.h"
#include "sandbox/search_query.h"
#include "x/parse.h"

TEST_CASE("a page of posts parses under X's documented and its August 2026 field names") {
  for (const auto& [reposts, refs] :
       {std::pair<std::string, std::string>{"retweet_count", "referenced_tweets"},
        {"repost_count", "referenced_posts"}}) {
    INFO(reposts);
    const std::string body =
        R"({"data":[{"id":"1860000000000000001","text":"a &amp; b","author_id":"42",)"
        R"("conversation_id":"1860000000000000000","lang":"en",")" +
        refs +
        R"(":[{"type":"replied_to","id":"1860000000000000000"}],)"
        R"("public_metrics":{")" +
        reposts +
        R"(":7,"reply_count":1,"like_count":30,"quote_count":0,"bookmark_count":2,)"
        R"("impression_count":900}}],"includes":{"users":[{"id":"42","username":"sleep_lab",)"
        R"("public_metrics":{"followers_count":45000}}]},)"
        R"("meta":{"newest_id":"1860000000000000001","result_count":1,"next_token":"abc"}})";
    const auto page = gl::x::parse_post_page(body);
    REQUIRE(page.tweets.size() == 1);
    CHECK(page.tweets[0].retweets == 7);
    CHECK(page.tweets[0].likes == 30);
    CHECK(page.tweets[0].text == "a & b");
    CHECK(page.tweets[0].replied_to == "1860000000000000000");
    CHECK(page.tweets[0].conversation_id == "1860000000000000000");
    REQUIRE(page.users.size() == 1);
    CHECK(page.users[0].followers == 45000);
    CHECK(page.newest_id == "1860000000000000001");
    CHECK(page.next_token == "abc");
  }
  CHECK(gl::x::parse_post_page(R"({"meta":{"result_count":0}})").tweets.empty());
  CHECK_THROWS_AS(gl::x::parse_post_page(R"({"data":{}})"), gl::x::MalformedBody);
}

TEST_CASE("trends carry a count when X gives one, as a number or as text") {
  const auto t = gl::x::parse_trends(
      R"({"data":[{"trend_name":"#SleepTips","tweet_count":12000},{"trend_name":"Focus Week"},)"
      R"({"trend_name":"AI Act","post_count":300},)"
      R"({"trend_name":"Sleep Week","post_count":"2.5K posts","category":"Health"}]})");
  REQUIRE(t.size() == 4);
  CHECK(t[0].post_count == 12000);
  CHECK_FALSE(t[1].post_count);
  CHECK(t[2].post_count == 300);
  CHECK(t[3].post_count == 2500);
  CHECK(gl::x::parse_post_count_text("1.2M posts") == 1200000);
  CHECK(gl::x::parse_post_count_text("845 posts") == 845);
  CHECK_FALSE(gl::x::parse_post_count_text("Unknown"));
}

TEST_CASE("a trend matches the topics it names, with the basis of the match") {
  using gl::learn::match_trend;
  const std::vector<std::string> topics = {"sleep", "focus", "machine learning"};
  auto m = match_trend("#SleepTips", topics);
  REQUIRE(m.size() == 1);
  CHECK(m[0].topic == "sleep");
  CHECK(m[0].basis == "hashtag");
  m = match_trend("Focus", topics);
  REQUIRE(m.size() == 1);
  CHECK(m[0].basis == "exact");
  m = match_trend("Machine Learning Week", topics);
  REQUIRE(m.size() == 1);
  CHECK(m[0].basis == "words");
  CHECK(match_trend("#MachineLearning", topics).size() == 1);
  CHECK(match_trend("Sleeping Beauty", topics)[0].topic == "sleep");
  CHECK(match_trend("Champions League", topics).empty());
  CHECK(match_trend("Sleepy Joe", topics).empty());  // a word, not a prefix
  m = match_trend("Sleep Week", {"sleep science", "focus week"});
  REQUIRE(m.size() == 1);  // "week" names no subject
  CHECK(m[0].topic == "sleep science");
  CHECK(m[0].basis == "shared");
  CHECK(gl::learn::trend_score(std::nullopt) == 1);
  CHECK(gl::learn::trend_score(100000) > gl::learn::trend_score(1000));
}

TEST_CASE("x-sandbox reads the search operators harvest uses and refuses min_faves: as X does") {
  using namespace gl::sandbox;
  const auto q = parse_search_query("\"deep sleep\" lang:en -is:retweet -is:reply min_likes:20");
  CHECK(q.terms == std::vector<std::string>{"deep sleep"});
  CHECK(q.lang == "en");
  CHECK(q.is_reply == false);
  CHECK(q.min_likes == 20);
  PostFacts p;
  p.text = "Deep sleep is where memory is filed.";
  p.likes = 25;
  CHECK(matches(q, p));
  p.likes = 19;
  CHECK_FALSE(matches(q, p));
  p.likes = 25;
  p.is_reply = true;
  CHECK_FALSE(matches(q, p));
  const auto r = parse_search_query("conversation_id:1860000000000000000 is:reply min_likes:2");
  CHECK(r.conversation_id == "1860000000000000000");
  CHECK_THROWS_WITH(parse_search_query("sleep min_faves:10"), Catch::Contains("min_faves"));
  CHECK_THROWS_AS(parse_search_query("sleep has:unicorns"), QueryError);
  CHECK_THROWS_AS(parse_search_query("-is:retweet min_likes:5"), QueryError);  // nothing positive
}

TEST_CASE("x-sandbox bills a resource once per UTC day per caller, requests always") {
  using namespace gl::sandbox;
  Billing b;
  const auto day1 = *gl::parse_iso8601("2026-11-20T10:00:00Z");
  const auto later = *gl::parse_iso8601("2026-11-20T23:59:00Z");
  const auto day2 = *gl::parse_iso8601("2026-11-21T00:01:00Z");
  b.charge("a", kBillPost, "1", day1);
  b.charge("a", kBillPost, "1", later);
  b.charge("b", kBillPost, "1", later);
  b.charge("a", kBillPost, "1", day2);
  b.charge("a", kBillTrends, "", day1);
  b.charge("a", kBillTrends, "", day1);
  const auto r = b.report();
  CHECK(r["returned"][kBillPost] == 4);
  CHECK(r["billed"][kBillPost] == 3);
  CHECK(r["billed"][kBillTrends] == 2);
  CHECK(r["usd"].get<double>() == Approx(3 * 0.005 + 2 * 0.010));
}
