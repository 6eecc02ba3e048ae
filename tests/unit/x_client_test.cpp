#include <catch2/catch.hpp>

#include "core/http.h"
#include "x/client.h"
#include "x/errors.h"
#include "x/oauth1.h"
#include "x/parse.h"

using namespace gl::x;

TEST_CASE("percent-encoding follows RFC 3986") {
  CHECK(gl::percent_encode("Hello Ladies + Gentlemen, a signed OAuth request!") ==
        "Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21");
  CHECK(gl::percent_encode("An encoded string!") == "An%20encoded%20string%21");
  CHECK(gl::percent_encode("Dogs, Cats & Mice") == "Dogs%2C%20Cats%20%26%20Mice");
  CHECK(gl::percent_encode("-._~AZaz09") == "-._~AZaz09");
  CHECK(gl::percent_encode("\xE2\x98\x83") == "%E2%98%83");  // snowman, UTF-8 bytes upper-case hex
}

TEST_CASE("OAuth 1.0a signature matches X's documented example") {
  const Params params = {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
                         {"include_entities", "true"},
                         {"oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"},
                         {"oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"},
                         {"oauth_signature_method", "HMAC-SHA1"},
                         {"oauth_timestamp", "1318622958"},
                         {"oauth_token", "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"},
                         {"oauth_version", "1.0"}};
  const std::string consumer_secret = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw";
  const std::string token_secret = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE";
  const std::string base =
      oauth1_base_string("POST", "https://api.twitter.com/1.1/statuses/update.json", params);
  CHECK(
      base ==
      "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26"
      "oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%"
      "3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26"
      "oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-"
      "GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%"
      "2520"
      "%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521");
  CHECK(oauth1_signature(base, consumer_secret, token_secret) == "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
  CHECK(oauth1_signature(
            oauth1_base_string("POST", "https://api.x.com/1.1/statuses/update.json", params),
            consumer_secret, token_secret) == "Ls93hJiZbQ3akF3HF3x1Bz8/zU4=");

  // The header signs the query and the oauth_* values, never a JSON body.
  const OAuth1Credentials creds{"xvz1evFS4wEEPTGEFPHBog", consumer_secret,
                                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", token_secret};
  const std::string header =
      oauth1_header(creds, "POST", "https://api.twitter.com/1.1/statuses/update.json",
                    {{"status", "Hello Ladies + Gentlemen, a signed OAuth request!"},
                     {"include_entities", "true"}},
                    "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", 1318622958);
  CHECK(header.rfind("OAuth ", 0) == 0);
  CHECK(header.find("oauth_signature=\"hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D\"") != std::string::npos);
  CHECK(header.find("status=") == std::string::npos);
  CHECK(oauth1_nonce() != oauth1_nonce());
}

TEST_CASE("tweet lookup bodies parse in every documented shape") {
  SECTION("success with a partial error") {
    const auto r = parse_tweet_lookup(R"({"data":[{"id":"1800000000000000001","text":"hello",
      "created_at":"2026-08-01T12:00:00.000Z","author_id":"2244994945",
      "public_metrics":{"retweet_count":3,"reply_count":1,"like_count":12,"quote_count":0,"bookmark_count":2,"impression_count":845},
      "non_public_metrics":{"impression_count":845,"url_link_clicks":4,"user_profile_clicks":7,"engagements":30},
      "organic_metrics":{"impression_count":845,"like_count":12,"reply_count":1,"retweet_count":3,"url_link_clicks":4,"user_profile_clicks":7}}],
      "errors":[{"value":"1800000000000000002","detail":"Could not find tweet with id: [1800000000000000002].",
      "title":"Not Found Error","resource_type":"tweet","parameter":"ids","resource_id":"1800000000000000002",
      "type":"https://api.twitter.com/2/problems/resource-not-found"}]})");
    REQUIRE(r.tweets.size() == 1);
    const auto& t = r.tweets[0];
    CHECK(t.id == "1800000000000000001");
    CHECK(t.impressions == 845);
    CHECK(t.likes == 12);
    CHECK(t.profile_clicks == 7);
    CHECK(t.url_clicks == 4);
    CHECK(t.private_metrics);
    CHECK(t.anomalies.empty());
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].id == "1800000000000000002");
    CHECK(r.problems[0].type == "resource-not-found");
  }
  SECTION("only errors, no data") {
    const auto r =
        parse_tweet_lookup(R"({"errors":[{"value":"5","detail":"d","title":"Not Found Error",
      "type":"https://api.x.com/2/problems/resource-not-found"}]})");
    CHECK(r.tweets.empty());
    REQUIRE(r.problems.size() == 1);
    CHECK(r.problems[0].id == "5");
  }
  SECTION("missing metrics stay unknown, never zero; bad ones are anomalies") {
    const auto r = parse_tweet_lookup(R"({"data":[{"id":"7","text":"x",
      "public_metrics":{"like_count":-3,"retweet_count":"many","reply_count":0}}]})");
    const auto& t = r.tweets.at(0);
    CHECK_FALSE(t.impressions.has_value());
    CHECK_FALSE(t.quotes.has_value());
    CHECK_FALSE(t.likes.has_value());
    CHECK_FALSE(t.retweets.has_value());
    CHECK(t.replies == 0);
    CHECK(t.anomalies.size() == 2);
  }
  SECTION("a count above 10^12 is no count: the sum of a post's counters cannot wrap") {
    const auto r = parse_tweet_lookup(R"({"data":[{"id":"7","text":"x",
      "public_metrics":{"impression_count":500,"like_count":9223372036854775807,
      "retweet_count":18446744073709551615,"reply_count":1000000000001,"quote_count":1000000000000}}]})");
    const auto& t = r.tweets.at(0);
    CHECK_FALSE(t.likes.has_value());
    CHECK_FALSE(t.retweets.has_value());
    CHECK_FALSE(t.replies.has_value());
    CHECK(t.quotes == 1000000000000LL);
    CHECK(t.anomalies.size() == 3);
    const auto floats = parse_tweet_lookup(R"({"data":[{"id":"7","text":"x",
      "public_metrics":{"impression_count":500.0,"like_count":2.5,"reply_count":1e13}}]})");
    CHECK(floats.tweets.at(0).impressions == 500);
    CHECK_FALSE(floats.tweets.at(0).likes.has_value());
    CHECK_FALSE(floats.tweets.at(0).replies.has_value());
  }
  SECTION("retweet_count and repost_count are one counter: the first good value is read") {
    const auto bad_old = parse_tweet_lookup(R"({"data":[{"id":"7","text":"x",
      "public_metrics":{"retweet_count":"7","repost_count":7}}]})");
    CHECK(bad_old.tweets.at(0).retweets == 7);
    CHECK(bad_old.tweets.at(0).anomalies.empty());
    const auto both_bad = parse_tweet_lookup(R"({"data":[{"id":"7","text":"x",
      "public_metrics":{"retweet_count":-1,"repost_count":"x"}}]})");
    CHECK_FALSE(both_bad.tweets.at(0).retweets.has_value());
    CHECK(both_bad.tweets.at(0).anomalies ==
          std::vector<std::string>{"public_metrics.retweet_count is negative"});
  }
  SECTION("ids are strings; numbers or malformed bodies are refused") {
    CHECK_THROWS_AS(parse_tweet_lookup(R"({"data":[{"id":1800000000000000001}]})"), MalformedBody);
    CHECK_THROWS_AS(parse_tweet_lookup("{\"data\":[{\"id\":\"18"), MalformedBody);
    CHECK_THROWS_AS(parse_tweet_lookup("<html>502</html>"), MalformedBody);
    CHECK_THROWS_AS(parse_tweet_lookup("[]"), MalformedBody);
    CHECK_THROWS_AS(parse_tweet_lookup("{}"), MalformedBody);
  }
}

TEST_CASE("user, timeline and create bodies parse") {
  const auto u =
      parse_user(R"({"data":{"id":"2244994945","name":"X Developers","username":"XDevelopers",
    "public_metrics":{"followers_count":583423,"following_count":2048,"tweet_count":14052,"listed_count":1672,"like_count":310}}})");
  CHECK(u.id == "2244994945");
  CHECK(u.followers == 583423);
  CHECK(u.listed == 1672);
  CHECK_THROWS_AS(parse_user(R"({"errors":[{"title":"Not Found Error"}]})"), MalformedBody);

  const auto tl = parse_timeline(
      R"({"data":[{"id":"2","text":"b","created_at":"2026-08-01T12:00:00.000Z"},{"id":"1","text":"a"}],"meta":{"result_count":2}})");
  REQUIRE(tl.size() == 2);
  CHECK(tl[0].created_at == "2026-08-01T12:00:00.000Z");
  CHECK(parse_timeline(R"({"meta":{"result_count":0}})").empty());

  const auto p = parse_post(R"({"data":{"id":"1800000000000000003","text":"hi"}})");
  CHECK(p.id == "1800000000000000003");
  CHECK_THROWS_AS(parse_post(R"({"data":{"text":"hi"}})"), MalformedBody);
}

namespace {
gl::HttpResponse response(long status, const std::string& body,
                          std::map<std::string, std::string> headers = {}) {
  gl::HttpResponse r;
  r.status = status;
  r.body = body;
  r.headers = std::move(headers);
  return r;
}
}  // namespace

TEST_CASE("errors are classified by status and problem type, not status alone") {
  CHECK(problem_type_suffix("https://api.twitter.com/2/problems/usage-capped") == "usage-capped");
  CHECK(problem_type_suffix("https://api.x.com/2/problems/resource-not-found") ==
        "resource-not-found");
  CHECK(problem_type_suffix(
            "https://developer.x.com/en/support/x-api/error-troubleshooting#client-forbidden") ==
        "client-forbidden");
  CHECK(problem_type_suffix("about:blank") == "about:blank");

  const auto rate = classify_response(response(
      429,
      R"({"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429})",
      {{"x-rate-limit-reset", "1900000000"}, {"x-rate-limit-remaining", "0"}}));
  CHECK(rate.problem == Problem::kRateLimited);
  REQUIRE(rate.retry_at);
  CHECK(
      std::chrono::duration_cast<std::chrono::seconds>(rate.retry_at->time_since_epoch()).count() ==
      1900000000);
  CHECK(to_error("GET /2/tweets", rate).exit_code() == 75);
  // A reset past 2200 is no time X means (the fuzz target's finding: it overflowed the clock).
  const auto far = classify_response(response(429, "{}", {{"x-rate-limit-reset", "17902000000"}}));
  CHECK(far.problem == Problem::kRateLimited);
  CHECK_FALSE(far.retry_at);

  const auto daily =
      classify_response(response(429, R"({"errors":[{"code":88,"message":"Rate limit exceeded"}]})",
                                 {{"x-rate-limit-reset", "1900000000"},
                                  {"x-user-limit-24hour-remaining", "0"},
                                  {"x-user-limit-24hour-reset", "1900050000"}}));
  CHECK(daily.problem == Problem::kRateLimited);
  CHECK(daily.detail == "Rate limit exceeded");
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(daily.retry_at->time_since_epoch())
            .count() == 1900050000);

  const auto cap =
      classify_response(response(429, R"({"account_id":"1","product_name":"standard-basic",
    "title":"UsageCapExceeded","period":"Monthly","scope":"Product","detail":"Usage cap exceeded: Monthly product cap",
    "type":"https://api.twitter.com/2/problems/usage-capped"})",
                                 {{"x-rate-limit-remaining", "39999"}}));
  CHECK(cap.problem == Problem::kUsageCapped);
  CHECK_FALSE(is_retryable(cap.problem));
  CHECK(to_error("GET /2/tweets", cap).exit_code() == 1);

  const auto credits =
      classify_response(response(402, R"({"title":"CreditsDepleted","detail":"no credits",
    "type":"https://api.twitter.com/2/problems/credits"})"));
  CHECK(credits.problem == Problem::kCreditsDepleted);
  CHECK(to_error("GET /2/tweets", credits).exit_code() == 1);

  const auto unauthorized = classify_response(response(
      401,
      R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})"));
  CHECK(unauthorized.problem == Problem::kUnauthorized);
  CHECK(std::string(to_error("GET /2/tweets", unauthorized).what()).find("X_BEARER_TOKEN") !=
        std::string::npos);

  CHECK(
      classify_response(
          response(
              403,
              R"({"detail":"You are not allowed to create a Tweet with duplicate content.","type":"about:blank","title":"Forbidden","status":403})"))
          .problem == Problem::kDuplicate);
  // X's answer to a reply whose parent neither mentions nor quotes the account
  // (x-api.md): about that post, not the app's permissions.
  CHECK(
      classify_response(
          response(
              403,
              R"({"detail":"You can only reply to or quote posts where you are mentioned or are the author.","title":"Authorization Error"})"))
          .problem == Problem::kReplyNotAllowed);
  CHECK(
      classify_response(
          response(
              403,
              R"({"title":"Client Forbidden","reason":"client-not-enrolled","type":"https://api.twitter.com/2/problems/client-forbidden"})"))
          .problem == Problem::kForbidden);
  CHECK(
      classify_response(
          response(
              400,
              R"({"errors":[{"message":"Your Tweet text is too long."}],"title":"Invalid Request"})"))
          .problem == Problem::kTooLong);
  const auto server = classify_response(response(503, "<html>unavailable</html>"));
  CHECK(server.problem == Problem::kServer);
  CHECK(is_retryable(server.problem));
  CHECK(to_error("GET /2/tweets", server).exit_code() == 75);
  CHECK(classify_response(response(200, "{}")).problem == Problem::kNone);
}

TEST_CASE("x-sandbox scores parse, and real X is recognised by its host") {
  const auto m = parse_sandbox_score(
      R"({"impressions": 1200.5, "likes": 30.2, "retweets": 2, "replies": 1.5, "quotes": 0.1,
          "bookmarks": 3, "profile_clicks": 4.25, "follows": 0.5})");
  CHECK(m.impressions == Approx(1200.5));
  CHECK(m.profile_clicks == Approx(4.25));
  CHECK(m.follows == Approx(0.5));
  CHECK_THROWS_AS(parse_sandbox_score(R"({"impressions": 10})"), MalformedBody);
  CHECK_THROWS_AS(parse_sandbox_score(R"({"impressions": -1, "likes": 0, "retweets": 0,
      "replies": 0, "quotes": 0, "bookmarks": 0, "profile_clicks": 0, "follows": 0})"),
                  MalformedBody);
  CHECK(is_real_x("https://api.x.com"));
  CHECK(is_real_x("https://API.X.com/"));
  CHECK(is_real_x("https://api.twitter.com:443"));
  CHECK_FALSE(is_real_x("http://127.0.0.1:8080"));
  CHECK_FALSE(is_real_x("http://sandbox.local/api.x.com"));
}
