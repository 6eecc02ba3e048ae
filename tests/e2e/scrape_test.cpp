#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

namespace {
constexpr const char* kPosted = "2026-11-20T14:00:00Z";
constexpr const char* kLater = "2026-11-20T17:00:00Z";  // 3 h after posting

// The two ways scrape-metrics reads posts younger than 30 days, and the
// endpoint each calls: lookups, or (auto, when it costs no more, as it does
// for posts all due at once) the account's own timeline.
struct ReadPath {
  const char* endpoint;
  const char* read_through;
};
constexpr ReadPath kReadPaths[] = {{"GET /2/tweets", "lookup"},
                                   {"GET /2/users/:id/tweets", "auto"}};
}  // namespace

TEST_CASE("scrape writes all four tables in agreement and prints one line per post") {
  LoopFixture f;
  f.posted(3, kPosted);
  Result r = run_tool({"scrape-metrics", "--now", kLater}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 3);
  for (const auto& l : lines) {
    CHECK(l["metrics"]["impressions"].get<long long>() > 100);
    CHECK(l["passed_gates"] == true);
    CHECK(l["generator"] == "dataNerd");
    CHECK(l["topic"] == "sleep");
    CHECK(l["engagement_rate"].is_number());
  }
  CHECK(f.count("SELECT count(*) FROM tweet_metrics") == 3);
  CHECK(
      f.count("SELECT count(*) FROM outcomes WHERE passed_gates AND profile_clicks IS NOT NULL") ==
      3);
  CHECK(f.count("SELECT count(*) FROM learning_posts WHERE posted_hour_local = 9") ==
        3);  // 14:00Z in New York
  CHECK(f.disagreements() == 0);
  CHECK(f.count("SELECT count(*) FROM follower_snapshots") == 1);
  CHECK(f.count("SELECT count(*) FROM job_runs WHERE tool = 'scrape-metrics' AND status = 'ok'") ==
        1);

  SECTION("an account whose learners never run keeps few rows of changes, their sum growing") {
    // The learners compact an account's rows of changes; scrape-metrics, run
    // every 10 minutes whether they run or not, compacts them too.
    f.db.scalar(
        "INSERT INTO learning_input_changes (account_id) "
        "SELECT account_id FROM accounts, generate_series(1, 100); SELECT 1");
    const long long before = f.count("SELECT sum(changes) FROM learning_input_changes");
    Result next = run_tool({"scrape-metrics", "--now", "2026-11-20T21:00:00Z"}, f.env);
    INFO(next.err);
    REQUIRE(next.exit_code == 0);
    CHECK(f.count("SELECT count(*) FROM learning_input_changes") == 1);
    CHECK(f.count("SELECT sum(changes) FROM learning_input_changes") > before);
  }
  SECTION("re-running at the same time finds nothing due and changes nothing") {
    Result again = run_tool({"scrape-metrics", "--now", kLater}, f.env);
    CHECK(again.exit_code == 0);
    CHECK(again.out.empty());
    CHECK(f.count("SELECT count(*) FROM tweet_metrics") == 3);
  }
  SECTION("the next due time collects a second snapshot and attributes followers") {
    Result next = run_tool({"scrape-metrics", "--now", "2026-11-20T21:00:00Z"}, f.env);
    REQUIRE(next.exit_code == 0);
    CHECK(f.count("SELECT count(*) FROM tweet_metrics") == 6);
    CHECK(f.count("SELECT count(*) FROM follower_attribution") == 3);
    // The account's change is split, not copied onto each post.
    CHECK(
        f.count(
            "SELECT round(sum(followers_gained) - max(window_delta)) FROM follower_attribution") ==
        0);
    CHECK(f.count("SELECT count(*) FROM outcomes WHERE followers_gained IS NULL") == 0);
    CHECK(f.disagreements() == 0);

    // A run at an earlier --now (a replay, a clock gone back) keeps its follower reading and
    // attributes nothing: its window lies inside one attributed already.
    const std::string gained = f.db.scalar("SELECT sum(followers_gained) FROM outcomes");
    f.db.scalar("UPDATE content_metadata SET next_collect_at = NULL");
    Result back = run_tool({"scrape-metrics", "--now", "2026-11-20T19:00:00Z"}, f.env);
    INFO(back.err);
    REQUIRE(back.exit_code == 0);
    CHECK(f.count("SELECT count(*) FROM follower_snapshots") == 3);
    CHECK(f.count("SELECT count(*) FROM follower_attribution") == 3);
    CHECK(f.db.scalar("SELECT sum(followers_gained) FROM outcomes") == gained);
  }
}

TEST_CASE("recent posts are read through the account's own timeline, private metrics included") {
  LoopFixture f;
  f.posted(3, kPosted);
  Result r = run_tool({"scrape-metrics", "--now", kLater}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json requests = f.sandbox.get("/sandbox/stats")["requests"];
  CHECK(requests.value("GET /2/users/:id/tweets", 0) == 1);
  CHECK(requests.value("GET /2/tweets", 0) == 0);
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE profile_clicks IS NOT NULL") == 3);
  CHECK(f.count("SELECT count(*) FROM tweet_metrics WHERE metrics_source = 'organic'") == 3);
  // Billed as owned reads, at a fifth of a post read.
  CHECK(f.count("SELECT coalesce(sum(billable), 0) FROM api_usage WHERE tool = 'scrape-metrics' "
                "AND kind = 'owned_read'") == 3);
  CHECK(f.count("SELECT count(*) FROM api_usage WHERE tool = 'scrape-metrics' AND kind = "
                "'post_read'") == 0);
  CHECK(f.disagreements() == 0);
}

TEST_CASE("a lone due post among many of ours not due is looked up, the cheaper read") {
  LoopFixture f;
  f.posted(1, "2026-11-10T14:00:00Z");
  f.posted(20, kPosted);
  // The twenty recent ones were collected a moment ago: only the old one is due.
  CHECK(f.count("WITH u AS (UPDATE content_metadata SET next_collect_at = '2026-11-21T00:00:00Z' "
                "WHERE posted_at = '" +
                std::string(kPosted) + "' RETURNING 1) SELECT count(*) FROM u") == 20);
  Result r = run_tool({"scrape-metrics", "--now", kLater}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json_lines(r.out).size() == 1);
  const json requests = f.sandbox.get("/sandbox/stats")["requests"];
  CHECK(requests.value("GET /2/tweets", 0) == 1);
  CHECK(requests.value("GET /2/users/:id/tweets", 0) == 0);
}

TEST_CASE("deleted tweets are marked unavailable after a second look, never zero-filled") {
  LoopFixture f;
  const auto ids = f.posted(3, kPosted);
  f.sandbox.post("/sandbox/delete", {{"ids", {ids[1]}}});
  Result first = run_tool({"scrape-metrics", "--now", kLater}, f.env);
  REQUIRE(first.exit_code == 0);
  // X's first "not found" is noted, and the tweet is asked for again an hour later.
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE not_found_at IS NOT NULL AND "
                "metrics_state = 'pending' AND next_collect_at = '2026-11-20T18:00:00Z'") == 1);
  CHECK(f.count("SELECT count(*) FROM outcomes") == 2);
  CHECK(f.disagreements() == 0);
  Result r = run_tool({"scrape-metrics", "--now", "2026-11-20T18:00:00Z"}, f.env);
  REQUIRE(r.exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE metrics_state = 'unavailable' AND "
                "tweet_id = '" +
                ids[1] + "' AND unavailable_reason LIKE 'resource-not-found%'") == 1);
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE NOT available AND impressions IS NULL AND "
                "likes IS NULL") == 1);
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE impressions = 0 OR likes = 0") == 0);
  CHECK(f.count("SELECT count(*) FROM tweet_metrics WHERE tweet_id = '" + ids[1] + "'") == 0);
  CHECK(f.disagreements() == 0);
  // Unavailable posts are not asked for again.
  Result again = run_tool({"scrape-metrics", "--now", "2026-11-21T17:00:00Z"}, f.env);
  CHECK(json_lines(again.out).size() == 2);
}

TEST_CASE("a tweet X could not find once and finds later is collected as usual") {
  LoopFixture f;
  f.posted(40, kPosted);
  f.sandbox.faults(json::array(
      {{{"endpoint", "GET /2/tweets"}, {"kind", "partial"}, {"fraction", 0.3}, {"times", 1}}}));
  Result first = run_tool({"scrape-metrics", "--now", kLater, "--read-through", "lookup"}, f.env);
  REQUIRE(first.exit_code == 0);
  const long long rechecking =
      f.count("SELECT count(*) FROM content_metadata WHERE not_found_at IS NOT NULL");
  CHECK(rechecking > 0);
  CHECK(rechecking < 40);
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE NOT available") == 0);
  Result second = run_tool(
      {"scrape-metrics", "--now", "2026-11-20T18:00:00Z", "--read-through", "lookup"}, f.env);
  REQUIRE(second.exit_code == 0);
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE available AND impressions > 0") == 40);
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE not_found_at IS NOT NULL") == 0);
  CHECK(f.disagreements() == 0);
}

TEST_CASE("a read without views keeps the last values in all four tables, likes included") {
  for (const ReadPath& path : kReadPaths) {
    INFO(path.endpoint);
    LoopFixture f;
    f.posted(3, kPosted);
    Result first =
        run_tool({"scrape-metrics", "--now", kLater, "--read-through", path.read_through}, f.env);
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    const long long known =
        f.count("SELECT count(*) FROM outcomes WHERE impressions > 0 AND likes IS NOT NULL");
    REQUIRE(known == 3);
    const std::string before =
        f.db.scalar("SELECT string_agg(impressions::text, ',' ORDER BY tweet_id) FROM outcomes");
    const std::string likes_before =
        f.db.scalar("SELECT string_agg(likes::text, ',' ORDER BY tweet_id) FROM outcomes");
    f.sandbox.faults(json::array(
        {{{"endpoint", path.endpoint}, {"kind", "missing_field"}, {"field", "impression_count"}}}));
    // The 7-day read: the last one, after which the post is not read again.
    Result last = run_tool(
        {"scrape-metrics", "--now", "2026-11-27T15:00:00Z", "--read-through", path.read_through},
        f.env);
    INFO(last.err);
    REQUIRE(last.exit_code == 0);
    // X said nothing about views this time: the snapshot says so, the latest values do not.
    CHECK(f.count("SELECT count(*) FROM tweet_metrics WHERE impressions IS NULL") == 3);
    CHECK(f.count("SELECT count(*) FROM tweet_metrics WHERE 'views_missing' = ANY(anomalies)") ==
          3);
    CHECK(f.count("SELECT count(*) FROM tweet_metrics WHERE impressions IS NULL AND likes > 0 "
                  "AND likes::text <> ALL (string_to_array('" +
                  likes_before + "', ','))") > 0);  // the likes X gave had grown
    // Newer likes beside older views would be a rate of two times: the likes wait too.
    CHECK(f.db.scalar("SELECT string_agg(likes::text, ',' ORDER BY tweet_id) FROM outcomes") ==
          likes_before);
    CHECK(
        f.db.scalar("SELECT string_agg(impressions::text, ',' ORDER BY tweet_id) FROM outcomes") ==
        before);
    CHECK(f.count("SELECT count(*) FROM learning_posts WHERE impressions IS NULL") == 0);
    CHECK(f.count("SELECT count(*) FROM content_metadata WHERE actual_impressions IS NULL") == 0);
    CHECK(f.count("SELECT count(*) FROM outcomes WHERE 'views_unknown' = ANY(gate_failures)") == 0);
    CHECK(f.disagreements() == 0);
    // The values kept keep their reading's time, and the set-aside last reading is tried again
    // (6 h later) rather than ending the collection on older values.
    CHECK(f.count("SELECT count(*) FROM outcomes WHERE collected_at = '2026-11-27T15:00:00Z'") ==
          0);
    CHECK(f.count("SELECT count(*) FROM content_metadata WHERE metrics_state = 'collected' AND "
                  "next_collect_at = '2026-11-27T21:00:00Z'") == 3);
    f.sandbox.clear_faults();
    Result retry = run_tool(
        {"scrape-metrics", "--now", "2026-11-27T21:00:00Z", "--read-through", path.read_through},
        f.env);
    REQUIRE(retry.exit_code == 0);
    CHECK(f.count("SELECT count(*) FROM outcomes WHERE collected_at = '2026-11-27T21:00:00Z' AND "
                  "impressions IS NOT NULL AND cardinality(anomalies) = 0") == 3);
    CHECK(f.count("SELECT count(*) FROM content_metadata WHERE metrics_state = 'done'") == 3);
    CHECK(f.disagreements() == 0);
  }
}

TEST_CASE("a timeline whose next_token never ends stops paging and looks the rest up") {
  LoopFixture f;
  f.posted(150, kPosted);  // more than one page of 100
  f.sandbox.faults(json::array(
      {{{"endpoint", "GET /2/users/:id/tweets"}, {"kind", "stuck_page"}, {"times", 1000}}}));
  Result r = run_tool({"scrape-metrics", "--now", kLater, "--read-through", "auto"}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json stats = json::parse(f.db.scalar("SELECT stats FROM job_runs"));
  CHECK(stats["recent_posts_read_through"] == "timeline");
  CHECK(stats["timeline_stopped"] == "repeated_token");
  CHECK(stats["timeline_pages"] == 2);
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE impressions > 0") == 150);
  CHECK(f.disagreements() == 0);
}

TEST_CASE("a rate limit mid-run keeps the batches already saved and exits 75") {
  for (const ReadPath& path : kReadPaths) {
    INFO(path.endpoint);
    LoopFixture f;
    f.posted(150, kPosted);
    f.sandbox.faults(json::array(
        {{{"endpoint", path.endpoint}, {"kind", "rate_limit"}, {"skip", 1}, {"reset_in_s", 600}}}));
    Result r =
        run_tool({"scrape-metrics", "--now", kLater, "--read-through", path.read_through}, f.env);
    CHECK(r.exit_code == 75);
    CHECK(r.err.find("rate limited; retry after") != std::string::npos);
    CHECK(r.err.find("100 of 150") != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM outcomes") == 100);
    CHECK(f.disagreements() == 0);
    CHECK(f.count("SELECT count(*) FROM job_runs WHERE status = 'failed' AND exit_code = 75") == 1);

    f.sandbox.clear_faults();
    Result retry = run_tool(
        {"scrape-metrics", "--now", "2026-11-20T17:10:00Z", "--read-through", path.read_through},
        f.env);
    CHECK(retry.exit_code == 0);
    CHECK(json_lines(retry.out).size() == 50);
    CHECK(f.count("SELECT count(*) FROM outcomes") == 150);
    CHECK(f.disagreements() == 0);
  }
}

TEST_CASE("faults that need a person exit 1 with what to check; nothing is written") {
  struct Case {
    const char* kind;
    const char* says;
  };
  for (const Case& c : {Case{"usage_cap", "usage cap"}, Case{"credits", "credits depleted"},
                        Case{"unauthorized", "X_BEARER_TOKEN"}, Case{"forbidden", "Project"}}) {
    LoopFixture f;
    f.posted(2, kPosted);
    f.sandbox.faults(json::array({{{"endpoint", "*"}, {"kind", c.kind}}}));
    Result r = run_tool({"scrape-metrics", "--now", kLater}, f.env);
    INFO(c.kind << ": " << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM outcomes") == 0);
    // One try on each endpoint: these are not retried.
    for (const auto& [endpoint, n] : f.sandbox.get("/sandbox/stats")["requests"].items()) {
      INFO(endpoint);
      CHECK(n == 1);
    }
  }
}

TEST_CASE("server errors, truncated and malformed bodies are retried, then succeed") {
  for (const ReadPath& path : kReadPaths) {
    for (const char* kind : {"server_error", "truncated", "malformed"}) {
      LoopFixture f;
      f.posted(2, kPosted);
      f.sandbox.faults(json::array({{{"endpoint", path.endpoint}, {"kind", kind}, {"times", 2}}}));
      Result r =
          run_tool({"scrape-metrics", "--now", kLater, "--read-through", path.read_through}, f.env);
      INFO(path.endpoint << ", " << kind << ": " << r.err);
      CHECK(r.exit_code == 0);
      CHECK(f.sandbox.get("/sandbox/stats")["requests"][path.endpoint] == 3);
      CHECK(f.count("SELECT count(*) FROM outcomes WHERE impressions > 0") == 2);
    }
  }
}

TEST_CASE("lasting outages and timeouts exit 75 naming the endpoint") {
  for (const ReadPath& path : kReadPaths) {
    for (const json& rule :
         {json{{"endpoint", path.endpoint}, {"kind", "malformed"}},
          json{{"endpoint", path.endpoint}, {"kind", "timeout"}, {"delay_ms", 1500}}}) {
      LoopFixture f;
      f.posted(2, kPosted);
      f.sandbox.faults(json::array({rule}));
      auto env = f.env;
      env["X_HTTP_TIMEOUT_MS"] = "500";
      env["X_MAX_RETRIES"] = "1";
      Result r =
          run_tool({"scrape-metrics", "--now", kLater, "--read-through", path.read_through}, env);
      INFO(r.err);
      CHECK(r.exit_code == 75);
      CHECK(r.err.find(path.endpoint) != std::string::npos);
      CHECK(f.count("SELECT count(*) FROM outcomes") == 0);
    }
  }
}

TEST_CASE("killing scrape-metrics mid-run leaves whole batches, and a re-run completes") {
  for (const ReadPath& path : kReadPaths) {
    INFO(path.endpoint);
    LoopFixture f;
    f.posted(250, kPosted);
    // The second request hangs long enough to kill the process inside it.
    f.sandbox.faults(json::array(
        {{{"endpoint", path.endpoint}, {"kind", "slow"}, {"skip", 1}, {"delay_ms", 20000}}}));
    auto env = f.env;
    env["X_HTTP_TIMEOUT_MS"] = "60000";
    Process p(
        Command{{"scrape-metrics", "--now", kLater, "--read-through", path.read_through}, "", env});
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (f.count("SELECT count(*) FROM outcomes") < 100 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    p.kill(SIGKILL);
    CHECK(p.wait().exit_code == 128 + SIGKILL);
    CHECK(f.count("SELECT count(*) FROM outcomes") == 100);
    CHECK(f.count("SELECT count(DISTINCT tweet_id) FROM tweet_metrics") == 100);
    CHECK(f.disagreements() == 0);

    f.sandbox.clear_faults();
    Result r =
        run_tool({"scrape-metrics", "--now", kLater, "--read-through", path.read_through}, f.env);
    CHECK(r.exit_code == 0);
    CHECK(f.count("SELECT count(*) FROM outcomes") == 250);
    CHECK(f.count("SELECT count(*) FROM tweet_metrics") == 250);
    CHECK(f.disagreements() == 0);
  }
}

TEST_CASE("overlapping runs for one account: the second exits 75") {
  LoopFixture f;
  f.posted(2, kPosted);
  f.sandbox.faults(json::array({{{"endpoint", "*"}, {"kind", "slow"}, {"delay_ms", 1500}}}));
  Process first(Command{{"scrape-metrics", "--now", kLater}, "", f.env});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (f.count("SELECT count(*) FROM job_runs WHERE status = 'running'") == 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Result second = run_tool({"scrape-metrics", "--now", kLater}, f.env);
  CHECK(second.exit_code == 75);
  CHECK(second.err.find("another run") != std::string::npos);
  CHECK(first.wait().exit_code == 0);
}

TEST_CASE("OAuth 2.0: rotated refresh tokens are kept in the database and used next time") {
  LoopFixture f;
  f.posted(2, kPosted, "sleep", "oauth2:e2e-client");
  auto env = f.oauth2_env();
  Result first = run_tool({"scrape-metrics", "--now", kLater}, env);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string rotated = f.db.scalar("SELECT refresh_token FROM oauth2_tokens");
  CHECK(rotated.rfind("sbx-rt-", 0) == 0);
  // Expire the access token: the next run must refresh with the rotated token,
  // since the sandbox refuses the (already used) one in the environment.
  f.db.scalar("UPDATE oauth2_tokens SET access_expires_at = now() - interval '1 hour' RETURNING 1");
  Result second = run_tool({"scrape-metrics", "--now", "2026-11-20T21:00:00Z"}, env);
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(f.db.scalar("SELECT refresh_token FROM oauth2_tokens") != rotated);
  CHECK(second.err.find("first-refresh-token") == std::string::npos);
}

TEST_CASE("missing credentials are a usage error, and secrets never reach the logs") {
  LoopFixture f;
  f.posted(1, kPosted);
  auto env = f.env;
  env.erase("X_ACCESS_TOKEN_SECRET");
  Result partial = run_tool({"scrape-metrics", "--now", kLater}, env);
  CHECK(partial.exit_code == 2);
  CHECK(partial.err.find("X_ACCESS_TOKEN_SECRET") != std::string::npos);

  f.sandbox.faults(json::array({{{"endpoint", "*"}, {"kind", "unauthorized"}}}));
  Result r = run_tool({"scrape-metrics", "--now", kLater, "-vv"}, f.env);
  CHECK(r.exit_code == 1);
  for (const char* secret : {"e2e-consumer-secret", "e2e-token-secret", "e2e-token"}) {
    CHECK(r.err.find(secret) == std::string::npos);
    CHECK(r.out.find(secret) == std::string::npos);
  }
}
