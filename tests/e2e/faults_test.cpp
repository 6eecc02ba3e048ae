// The defects of issue 15 that need X: a 403 that is not the post's fault,
// transient per-item errors, a failed follower lookup, and two processes
// refreshing one OAuth 2.0 token.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

namespace {
constexpr const char* kPosted = "2026-11-20T14:00:00Z";
constexpr const char* kLater = "2026-11-20T17:00:00Z";
}  // namespace

TEST_CASE("a 403 that is not duplicate content leaves the queue alone and says what to check") {
  LoopFixture f;
  const auto first = f.queue("Permissions were revoked before this one.", "2026-11-20T12:00:00Z");
  const auto second = f.queue("And before this one.", "2026-11-20T12:01:00Z");
  f.sandbox.faults(json::array({{{"endpoint", "POST /2/tweets"}, {"kind", "forbidden"}}}));
  Result r = run_tool({"publish", "--now", "2026-11-20T12:05:00Z"}, f.env);
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("403 forbidden") != std::string::npos);
  CHECK(r.err.find("permissions") != std::string::npos);
  CHECK(r.err.find("suspended") != std::string::npos);
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE status = 'queued' AND failure_reason "
                "IS NULL AND posting_started_at IS NULL") == 2);
  CHECK(f.sandbox.get("/sandbox/stats")["requests"]["POST /2/tweets"] == 1);

  f.sandbox.clear_faults();
  Result again = run_tool({"publish", "--now", "2026-11-20T12:10:00Z"}, f.env);
  CHECK(again.exit_code == 0);
  for (const auto& id : {first, second}) {
    CHECK(f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + id + "'") ==
          "posted");
  }
}

TEST_CASE("per-item errors that are not 'not found' leave tweets to the next run") {
  LoopFixture f;
  f.posted(150, kPosted);
  f.sandbox.faults(json::array({{{"endpoint", "GET /2/tweets"},
                                 {"kind", "partial"},
                                 {"fraction", 0.5},
                                 {"problem", "service-unavailable"}}}));
  // Per-item errors come from lookups (the timeline lists what it has).
  Result r = run_tool({"scrape-metrics", "--now", kLater, "--read-through", "lookup"}, f.env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const long long collected = f.count("SELECT count(*) FROM outcomes");
  CHECK(collected > 0);
  CHECK(collected < 150);
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE NOT available") == 0);
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE metrics_state = 'unavailable' OR "
                "not_found_at IS NOT NULL") == 0);
  CHECK(f.count("SELECT (stats->>'transient_errors')::int FROM job_runs") == 150 - collected);

  f.sandbox.clear_faults();
  Result again = run_tool({"scrape-metrics", "--now", "2026-11-20T17:10:00Z"}, f.env);
  REQUIRE(again.exit_code == 0);
  CHECK(json_lines(again.out).size() == static_cast<size_t>(150 - collected));
  CHECK(f.count("SELECT count(*) FROM outcomes WHERE available AND impressions > 0") == 150);
  CHECK(f.disagreements() == 0);
}

TEST_CASE("a failed follower lookup never holds up the tweets' metrics") {
  for (const bool id_known : {false, true}) {
    LoopFixture f;
    f.posted(150, kPosted);
    // In user context the account is read as GET /2/users/me (which says whose
    // the credentials are); with app-only auth and its id known, by its id.
    const std::string endpoint = id_known ? "GET /2/users/:id" : "GET /2/users/me";
    if (id_known) {
      const auto user = f.sandbox.post(
          "/sandbox/import",
          {{"user_key", "oauth1:" + f.env.at("X_ACCESS_TOKEN")}, {"tweets", json::array()}});
      f.db.scalar("UPDATE accounts SET x_user_id = '" + user["user_id"].get<std::string>() +
                  "' RETURNING 1");
      for (const char* k :
           {"X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"})
        f.env.erase(k);
      f.env["X_BEARER_TOKEN"] = "e2e-app-only";
    }
    f.sandbox.faults(json::array({{{"endpoint", endpoint}, {"kind", "server_error"}}}));
    Result r = run_tool({"scrape-metrics", "--now", kLater}, f.env);
    INFO(endpoint << ": " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("followers not recorded") != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM outcomes WHERE available AND impressions > 0") == 150);
    CHECK(f.count("SELECT count(*) FROM follower_snapshots") == 0);
    CHECK(f.count("SELECT count(*) FROM job_runs WHERE status = 'ok' AND stats ? "
                  "'followers_error'") == 1);
    CHECK(f.disagreements() == 0);

    f.sandbox.clear_faults();
    Result next = run_tool({"scrape-metrics", "--now", "2026-11-20T21:00:00Z"}, f.env);
    CHECK(next.exit_code == 0);
    CHECK(f.count("SELECT count(*) FROM follower_snapshots") == 1);
  }
}

TEST_CASE("two tools refreshing one OAuth 2.0 token at once spend the refresh token once") {
  LoopFixture f;
  f.posted(2, kPosted, "sleep", "oauth2:e2e-client");
  f.queue("Posted while scrape-metrics reads.", "2026-11-20T20:30:00Z");
  const auto env = f.oauth2_env();
  // A first run stores a rotated pair; then the access token expires.
  REQUIRE(run_tool({"scrape-metrics", "--now", kLater}, env).exit_code == 0);
  f.db.scalar("UPDATE oauth2_tokens SET access_expires_at = now() - interval '1 hour' RETURNING 1");
  // The token endpoint answers slowly, so both processes want a refresh at once.
  f.sandbox.faults(
      json::array({{{"endpoint", "POST /2/oauth2/token"}, {"kind", "slow"}, {"delay_ms", 1500}}}));
  Process scrape(Command{{"scrape-metrics", "--now", "2026-11-20T21:00:00Z"}, "", env});
  Process publish(Command{{"publish", "--now", "2026-11-20T21:00:00Z"}, "", env});
  const Result a = scrape.wait();
  const Result b = publish.wait();
  INFO(a.err << b.err);
  CHECK(a.exit_code == 0);
  CHECK(b.exit_code == 0);
  CHECK(a.err.find("authorize the app again") == std::string::npos);
  CHECK(b.err.find("authorize the app again") == std::string::npos);
  // Two refreshes in all: the first run's and one of the two concurrent runs'.
  CHECK(f.sandbox.get("/sandbox/stats")["requests"]["POST /2/oauth2/token"] == 2);
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE status = 'posted'") == 3);
}
