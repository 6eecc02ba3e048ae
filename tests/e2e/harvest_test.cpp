// harvest against x-sandbox's world of other accounts: each source fills its
// table, re-runs read only what is new, caps and faults leave nothing half
// written, and api_usage agrees with what the sandbox billed.
#include <catch2/catch.hpp>

#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

namespace {

constexpr const char* kNow = "2026-11-20T14:00:00Z";
constexpr const char* kLater = "2026-11-20T20:00:00Z";

// The e2e account (topics sleep, focus) with two peers and room to spend.
struct HarvestFixture : LoopFixture {
  explicit HarvestFixture(std::vector<std::string> args = {}) : LoopFixture(std::move(args)) {
    REQUIRE(run_tool({"accounts", "peers", "add", "e2e", "sleep_daily", "@FocusCoach"}, env)
                .exit_code == 0);
    REQUIRE(run_tool({"accounts", "harvest", "e2e", "--daily-budget-usd", "50"}, env).exit_code ==
            0);
  }
  Result harvest(const std::string& now, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"harvest", "--now", now};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_tool(args, env);
  }
  // api_usage's billable resources of a kind, against the sandbox's bill.
  long long recorded(const std::string& kind) {
    return count("SELECT coalesce(sum(billable), 0) FROM api_usage WHERE kind = '" + kind + "'");
  }
  long long billed(const std::string& kind) {
    const json b = sandbox.get("/sandbox/stats")["billing"]["billed"];
    return b.contains(kind) ? b[kind].get<long long>() : 0;
  }
};

long long skipped_lines(const Result& r) {
  long long n = 0;
  for (const auto& l : json_lines(r.out))
    n += l.contains("skipped") && l.contains("reason") ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("harvest fills trending_topics, vi_tweets, peer_posts and reply_metrics, reading only") {
  HarvestFixture f;
  Result r = f.harvest(kNow);
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  // Trends that relate to the account's topics, with the basis of the match.
  CHECK(f.count("SELECT count(*) FROM trending_topics WHERE topic IN ('sleep', 'focus') AND "
                "basis IN ('exact', 'hashtag', 'words') AND trend_name <> '' AND "
                "observed_at = '" +
                std::string(kNow) + "' AND expires_at = observed_at + interval '6 hours'") >= 2);
  CHECK(f.count("SELECT count(*) FROM trending_topics WHERE topic NOT IN ('sleep', 'focus')") == 0);
  // Viral posts per topic with their authors, original posts only.
  CHECK(f.count("SELECT count(*) FROM vi_tweets WHERE query_topic = 'sleep'") >= 10);
  CHECK(f.count("SELECT count(*) FROM vi_tweets WHERE query_topic = 'focus'") >= 10);
  CHECK(f.count("SELECT count(*) FROM vi_tweets WHERE likes < 20 OR author_followers IS NULL "
                "OR impressions IS NULL OR author_handle !~ '^[a-z_]+$'") == 0);
  // Peers resolved once to ids; their posts in the last 7 days.
  CHECK(f.count("SELECT count(*) FROM account_peers WHERE x_user_id IS NOT NULL") == 2);
  CHECK(f.count("SELECT count(DISTINCT peer_handle) FROM peer_posts") == 2);
  CHECK(f.count("SELECT count(*) FROM peer_posts WHERE posted_at < '2026-11-13T14:00:00Z'") == 0);
  // Replies under the best of them.
  CHECK(f.count("SELECT count(*) FROM reply_metrics WHERE likes >= 2 AND conversation_id IS NOT "
                "NULL AND parent_author IS NOT NULL") >= 1);
  // Reads only: nothing posted, nobody replied to.
  const json stats = f.sandbox.get("/sandbox/stats");
  CHECK_FALSE(stats["requests"].contains("POST /2/tweets"));
  CHECK(stats["tweets"] == 0);
  CHECK(f.count("SELECT count(*) FROM job_runs WHERE tool = 'harvest' AND status = 'ok'") == 1);

  SECTION("billed reads in api_usage equal what x-sandbox billed") {
    for (const char* kind : {"post_read", "user_read", "trends_request"}) {
      INFO(kind);
      CHECK(f.recorded(kind) == f.billed(kind));
      CHECK(f.recorded(kind) > 0);
    }
    // A call that returns posts and their authors is one request, not one per kind.
    long long served = 0;
    const json requests = f.sandbox.get("/sandbox/stats")["requests"];
    for (const auto& [endpoint, n] : requests.items()) served += n.get<long long>();
    CHECK(f.count("SELECT sum(requests) FROM api_usage") == served);
    CHECK(f.count("SELECT (stats->>'api_requests')::int FROM job_runs WHERE tool = 'harvest'") ==
          served);
    Result usage = run_tool({"usage", "--now", kNow}, f.env);
    REQUIRE(usage.exit_code == 0);
    double usd = 0;
    for (const auto& l : json_lines(usage.out)) usd += l["cost_usd"].get<double>();
    CHECK(usd == Approx(f.sandbox.get("/sandbox/stats")["billing"]["usd"].get<double>()));
    // Named with or without its @, the account's lines; an account that does not exist is
    // bad usage, not an empty report.
    Result named = run_tool({"usage", "--account", "@e2e", "--now", kNow}, f.env);
    CHECK(named.out == usage.out);
    Result unknown = run_tool({"usage", "--account", "nosuch", "--now", kNow}, f.env);
    CHECK(unknown.exit_code == 2);
    CHECK(unknown.err.find("no account @nosuch") != std::string::npos);
  }

  SECTION("a re-run reads only what is new, and re-reading updates rather than duplicates") {
    const long long vi = f.count("SELECT count(*) FROM vi_tweets");
    const long long peers = f.count("SELECT count(*) FROM peer_posts");
    const long long posts_before = f.billed("post_read");
    Result again = f.harvest(kLater);
    REQUIRE(again.exit_code == 0);
    // Six hours of new posts cost a fraction of the first week's.
    const long long posts_again = f.billed("post_read") - posts_before;
    CHECK(posts_again < posts_before / 3);
    CHECK(f.count("SELECT count(*) FROM vi_tweets WHERE first_seen_at = '" + std::string(kLater) +
                  "'") == f.count("SELECT count(*) FROM vi_tweets") - vi);
    CHECK(f.count("SELECT count(*) FROM peer_posts") >= peers);
    CHECK(f.recorded("post_read") == f.billed("post_read"));

    // Forget the watermarks: the same posts are read again, their metrics
    // move on, and no row is duplicated or loses its first sighting.
    f.db.scalar(
        "WITH d AS (DELETE FROM harvest_watermarks WHERE source = 'viral' RETURNING 1) "
        "SELECT count(*) FROM d");
    const long long likes = f.count("SELECT sum(likes) FROM vi_tweets");
    const long long rows = f.count("SELECT count(*) FROM vi_tweets");
    REQUIRE(f.harvest("2026-11-21T02:00:00Z", {"--only", "viral"}).exit_code == 0);
    CHECK(f.count("SELECT count(*) FROM vi_tweets WHERE first_seen_at = '2026-11-21T02:00:00Z'") ==
          f.count("SELECT count(*) FROM vi_tweets") - rows);
    CHECK(f.count("SELECT count(*) FROM vi_tweets WHERE collected_at = '2026-11-21T02:00:00Z' AND "
                  "first_seen_at < collected_at") > 0);
    CHECK(f.count("SELECT sum(likes) FROM vi_tweets") > likes);
  }
}

TEST_CASE("harvest stops at --max-reads and --budget-usd, exits 0 and says what it skipped") {
  HarvestFixture f;
  SECTION("--max-reads") {
    Result r = f.harvest(kNow, {"--only", "viral,peers", "--max-reads", "40"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(skipped_lines(r) >= 1);
    CHECK(f.count("SELECT sum(resources) FROM api_usage") <= 40);
    CHECK(json_lines(r.out).back()["reads"].get<long long>() <= 40);
  }
  SECTION("--budget-usd") {
    Result r = f.harvest(kNow, {"--only", "viral,peers", "--budget-usd", "0.2"});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(skipped_lines(r) >= 1);
    CHECK(f.count("SELECT round(sum(cost_usd) * 1000) FROM api_usage") <= 200);
  }
  SECTION("the account's daily budget, spent by every tool") {
    REQUIRE(
        run_tool({"accounts", "harvest", "e2e", "--daily-budget-usd", "0.05"}, f.env).exit_code ==
        0);
    Result r = f.harvest(kNow, {"--only", "viral"});
    REQUIRE(r.exit_code == 0);
    CHECK(skipped_lines(r) == 2);
    CHECK(f.count("SELECT count(*) FROM api_usage") == 0);
  }
  // Nothing half-written: a query cut short keeps its old watermark, so the
  // next run reads it whole.
  CHECK(f.count("SELECT count(*) FROM harvest_watermarks WHERE source = 'viral'") < 2);
  REQUIRE(run_tool({"accounts", "harvest", "e2e", "--daily-budget-usd", "50"}, f.env).exit_code ==
          0);
  Result full = f.harvest(kNow, {"--only", "viral,peers"});
  REQUIRE(full.exit_code == 0);
  CHECK(skipped_lines(full) == 0);
  CHECK(f.count("SELECT count(*) FROM harvest_watermarks WHERE source = 'viral'") == 2);
  CHECK(f.count("SELECT count(*) FROM harvest_watermarks WHERE source = 'peers'") == 2);
}

TEST_CASE("an outside post read again keeps what is known: views X leaves out, older readings") {
  HarvestFixture f;
  const auto read_again = [&](const char* now) {
    f.db.scalar("DELETE FROM harvest_watermarks");  // as after a run cut short: the same posts
    Result r = f.harvest(now, {"--only", "viral"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  };
  // The posts of the first reading (later ones are new posts, read once).
  const std::string kFirst = " FROM vi_tweets WHERE first_seen_at = '" + std::string(kNow) + "'";
  const std::string kValues =
      "SELECT string_agg(concat_ws(':', tweet_id, impressions, likes, replies), ',' "
      "ORDER BY tweet_id)" +
      kFirst;
  const std::string kCounts =
      "SELECT string_agg(concat_ws(':', tweet_id, impressions, likes, replies, collected_at), ',' "
      "ORDER BY tweet_id)" +
      kFirst;
  read_again(kNow);
  REQUIRE(f.count("SELECT count(*) FROM vi_tweets WHERE impressions > 0") >= 10);
  const std::string first = f.db.scalar(kValues);
  // X leaves the views out: nothing turns unknown, and newer likes wait for a reading with views.
  f.sandbox.faults({{{"endpoint", "GET /2/tweets/search/recent"},
                     {"kind", "missing_field"},
                     {"field", "impression_count"}}});
  read_again(kLater);
  CHECK(f.count("SELECT count(*)" + kFirst + " AND impressions IS NULL") == 0);
  CHECK(f.db.scalar(kValues) == first);
  f.sandbox.clear_faults();
  read_again(kLater);
  const std::string later = f.db.scalar(kCounts);
  CHECK(f.db.scalar(kValues) != first);  // six hours on, the counts grew
  // An older reading (--now going back) changes nothing that is known.
  read_again(kNow);
  CHECK(f.db.scalar(kCounts) == later);
}

TEST_CASE("a 429 on search exits 75 and loses nothing") {
  HarvestFixture f;
  f.sandbox.faults(
      {{{"endpoint", "GET /2/tweets/search/recent"}, {"kind", "rate_limit"}, {"skip", 1}}});
  Result r = f.harvest(kNow, {"--only", "viral"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 75);
  // The first topic's query was read whole and stored with its watermark.
  CHECK(f.count("SELECT count(*) FROM harvest_watermarks") == 1);
  const long long first = f.count("SELECT count(*) FROM vi_tweets");
  CHECK(first > 0);
  CHECK(f.count("SELECT count(*) FROM api_usage WHERE problem = 'rate_limited'") == 1);
  f.sandbox.clear_faults();
  Result again = f.harvest(kNow, {"--only", "viral"});
  REQUIRE(again.exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM harvest_watermarks") == 2);
  CHECK(f.count("SELECT count(DISTINCT query_topic) FROM vi_tweets") == 2);
  // The topic read before the 429 is not read again from scratch.
  CHECK(json_lines(again.out)[0]["read"].get<long long>() == 0);
}

TEST_CASE("personalized trends count only for a Premium user") {
  HarvestFixture f;
  Result r = f.harvest(kNow, {"--only", "trends"});
  REQUIRE(r.exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM trending_topics WHERE source = 'personalized' OR "
                "trend_name = 'Unknown'") == 0);
  CHECK(f.count("SELECT count(*) FROM trending_topics WHERE source = 'woeid:1'") >= 2);
  // Asked once a UTC day: "Unknown" is paid for like a real answer.
  REQUIRE(f.harvest(kLater, {"--only", "trends"}).exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM api_usage WHERE endpoint = "
                "'GET /2/users/personalized_trends'") == 1);
  f.sandbox.post("/sandbox/premium",
                 {{"user_key", "oauth1:" + f.env.at("X_ACCESS_TOKEN")}, {"premium", true}});
  const std::string next_day = "2026-11-21T08:00:00Z";
  REQUIRE(f.harvest(next_day, {"--only", "trends"}).exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM trending_topics WHERE source = 'personalized' AND "
                "observed_at = '" +
                next_day + "'") >= 1);
}

TEST_CASE("harvest reads X's new field names (August 2026) as it reads the documented ones") {
  HarvestFixture f({"--field-names", "new"});
  REQUIRE(f.harvest(kNow, {"--only", "viral,peers"}).exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM vi_tweets") > 0);
  CHECK(f.count("SELECT count(*) FROM vi_tweets WHERE retweets IS NULL") == 0);
  CHECK(f.count("SELECT count(*) FROM peer_posts WHERE retweets IS NULL") == 0);
}

TEST_CASE("a peer that turns out to be the account's own X user is skipped, its posts no peer's") {
  HarvestFixture f;
  REQUIRE(f.harvest(kNow, {"--only", "peers"}).exit_code == 0);
  // @FocusCoach is the account itself under another handle (as after a rename on X).
  f.db.scalar(
      "UPDATE accounts SET x_user_id = (SELECT x_user_id FROM account_peers WHERE handle = "
      "'focuscoach') RETURNING 1");
  f.db.scalar("DELETE FROM peer_posts WHERE peer_handle = 'focuscoach' RETURNING 1");
  Result r = f.harvest(kLater, {"--only", "peers"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  bool said = false;
  for (const auto& l : json_lines(r.out))
    said = said || (l.value("skipped", "") == "@focuscoach" &&
                    l.value("reason", "").find("the account itself") != std::string::npos);
  CHECK(said);
  CHECK(f.count("SELECT count(*) FROM peer_posts WHERE peer_handle = 'focuscoach'") == 0);
  CHECK(f.count("SELECT count(*) FROM peer_posts WHERE peer_handle = 'sleep_daily'") > 0);
}

TEST_CASE("accounts peers and harvest settings: add, remove, list, checked") {
  HarvestFixture f;
  Result list = run_tool({"accounts", "peers", "list", "e2e"}, f.env);
  REQUIRE(list.exit_code == 0);
  const auto peers = json_lines(list.out);
  REQUIRE(peers.size() == 2);
  CHECK(peers[0]["peer"] == "focuscoach");
  CHECK(run_tool({"accounts", "peers", "remove", "e2e", "FocusCoach"}, f.env).exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM account_peers") == 1);
  CHECK(run_tool({"accounts", "peers", "add", "e2e", "not a handle"}, f.env).exit_code == 2);
  // An account is not its own peer; nothing of the list is added.
  Result self = run_tool({"accounts", "peers", "add", "e2e", "sleep_new", "@E2E"}, f.env);
  CHECK(self.exit_code == 2);
  CHECK(self.err.find("is the account itself") != std::string::npos);
  CHECK(f.count("SELECT count(*) FROM account_peers") == 1);
  CHECK(run_tool({"accounts", "harvest", "e2e", "--language", "English"}, f.env).exit_code == 2);
  CHECK(run_tool({"harvest", "--only", "gossip"}, f.env).exit_code == 2);
  Result s = run_tool({"accounts", "harvest", "e2e", "--woeid", "1", "--woeid", "23424977"}, f.env);
  REQUIRE(s.exit_code == 0);
  CHECK(json_lines(s.out)[0]["woeids"] == json::array({1, 23424977}));
}

TEST_CASE("every tool's calls to X are recorded in api_usage as x-sandbox billed them") {
  LoopFixture f;
  f.posted(3, "2026-11-20T10:00:00Z");
  f.queue("A queued post about sleep, posted by publish.", "2026-11-20T13:30:00Z");
  REQUIRE(run_tool({"publish", "--now", kNow}, f.env).exit_code == 0);
  REQUIRE(run_tool({"scrape-metrics", "--now", kNow}, f.env).exit_code == 0);
  // The same posts read again the same UTC day are returned, not billed.
  REQUIRE(run_tool({"scrape-metrics", "--now", "2026-11-20T16:00:00Z"}, f.env).exit_code == 0);
  const json bill = f.sandbox.get("/sandbox/stats")["billing"];
  // scrape-metrics reads the account's recent posts through its own timeline.
  for (const char* kind : {"owned_read", "user_read", "post_create"}) {
    INFO(kind);
    REQUIRE(bill["billed"].contains(kind));
    CHECK(f.count("SELECT coalesce(sum(billable), 0) FROM api_usage WHERE kind = '" +
                  std::string(kind) + "'") == bill["billed"][kind].get<long long>());
    CHECK(f.count("SELECT coalesce(sum(resources), 0) FROM api_usage WHERE kind = '" +
                  std::string(kind) + "'") == bill["returned"][kind].get<long long>());
  }
  CHECK(f.count("SELECT count(DISTINCT tool) FROM api_usage") == 2);
  CHECK(f.count("SELECT sum(resources) - sum(billable) FROM api_usage WHERE kind = 'owned_read'") >
        0);
}

TEST_CASE("a dry run stores no metrics, and the reads X bills it for are on the bill") {
  LoopFixture f;
  f.posted(3, "2026-11-20T10:00:00Z");
  Result dry = run_tool({"scrape-metrics", "--dry-run", "--now", kNow}, f.env);
  INFO(dry.err);
  REQUIRE(dry.exit_code == 0);
  CHECK(json_lines(dry.out).size() == 3);  // what it would store
  CHECK(f.count("SELECT count(*) FROM tweet_metrics") == 0);
  CHECK(f.count("SELECT count(*) FROM outcomes") == 0);
  const json bill = f.sandbox.get("/sandbox/stats")["billing"];
  REQUIRE(bill["billed"].size() > 0);
  for (const auto& [kind, billed] : bill["billed"].items()) {
    INFO(kind);
    CHECK(f.count("SELECT coalesce(sum(billable), 0) FROM api_usage WHERE kind = '" + kind + "'") ==
          billed.get<long long>());
  }
}
