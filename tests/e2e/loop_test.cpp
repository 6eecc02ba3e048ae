#include <catch2/catch.hpp>
#include <chrono>

#include "core/clock.h"
#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

TEST_CASE("the whole loop runs on its own for a few simulated days") {
  TestDb db;
  Sandbox sandbox;
  auto env = tool_env(db.url(), sandbox, "loop-token");
  REQUIRE(run_tool({"accounts", "add", "loop", "--timezone", "America/New_York", "--topic", "sleep",
                    "--topic", "focus", "--topic", "strength", "--topic", "nutrition"},
                   env)
              .exit_code == 0);
  const auto start = *gl::parse_iso8601("2026-11-01T00:00:00Z");
  CHECK(run_crontab_chain(env, start, 24 * 4, {{"--fill-to", "2"}}) == 0);
  const long long posted =
      std::stoll(db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'posted'"));
  // 3 a day at most, 4 h apart, within the default posting hours 07-23 New York
  // (the run is Oct 31 20:00 to Nov 4 19:00 there: one slot on Oct 31, three on
  // each of Nov 1-4); plans may queue a day ahead.
  CHECK(posted >= 6);
  CHECK(posted <= 1 + 3 * 4);
  CHECK(db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'failed'") == "0");
  CHECK(std::stoll(db.scalar("SELECT count(*) FROM learning_posts WHERE passed_gates")) >= 4);
  CHECK(std::stoll(db.scalar("SELECT count(*) FROM bandit_arms WHERE family = 'topic'")) >= 2);
  CHECK(std::stoll(db.scalar("SELECT count(*) FROM follower_snapshots")) >= 10);
  CHECK(std::stoll(db.scalar("SELECT count(*) FROM learning_summaries")) == 24 * 4);
  CHECK(db.scalar("SELECT count(*) FROM job_runs WHERE status <> 'ok'") == "0");
  // Everything published is on the sandbox, once.
  CHECK(sandbox.get("/sandbox/stats")["tweets"].get<long long>() == posted);
}
