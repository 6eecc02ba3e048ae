// kill -9 at seeded random moments of publish and scrape-metrics runs over a
// few hundred posts, then clean runs, then the invariants. The suite runs a
// few iterations; bench/kill_loop.sh runs hundreds (GL_KILL_ITERATIONS).
#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

#include "core/clock.h"
#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

namespace {

long env_or(const char* name, long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtol(v, nullptr, 10) : fallback;
}

// Waits until no session holds an advisory lock: a killed run's backend goes
// away when PostgreSQL notices its client is gone.
void wait_for_dead_sessions(LoopFixture& f) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (f.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") > 0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string at_minutes(int minutes) {
  return gl::format_iso8601(*gl::parse_iso8601("2026-11-20T12:00:00Z") +
                            std::chrono::minutes(minutes));
}

// The kills keep the queue waiting for hours of runs: what is tested is that
// no post goes out twice or is lost, so no post is held to its slot.
std::vector<std::string> with_tolerance(std::vector<std::string> args) {
  if (args[0] == "publish") args.insert(args.end(), {"--max-late-minutes", "10080"});
  return args;
}

}  // namespace

TEST_CASE("random kill -9s of publish and scrape-metrics break no invariant") {
  const long iterations = env_or("GL_KILL_ITERATIONS", 12);
  const unsigned seed = static_cast<unsigned>(env_or("GL_KILL_SEED", 15));
  INFO("GL_KILL_ITERATIONS=" << iterations << " GL_KILL_SEED=" << seed);
  constexpr int kPosts = 300, kQueued = 30;
  LoopFixture f;
  f.posted(kPosts, "2026-11-20T10:00:00Z");
  std::vector<std::string> texts;
  for (int i = 0; i < kQueued; ++i) {
    texts.push_back("Queued post " + std::to_string(i) + " survives any kill.");
    f.queue(texts.back(), at_minutes(i * 2));
  }
  // Every answer takes a little while, so kills land inside calls as well as between them.
  f.sandbox.faults(json::array({{{"endpoint", "*"}, {"kind", "slow"}, {"delay_ms", 15}}}));

  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(0, 350);
  int minutes = 0;
  std::map<int, int> exits;
  for (long i = 0; i < iterations; ++i) {
    minutes += 7;
    const char* tool = rng() % 2 ? "publish" : "scrape-metrics";
    Process p(Command{with_tolerance({tool, "--now", at_minutes(minutes)}), "", f.env});
    // Not a synchronisation: the moment of the kill is what is random.
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    p.kill(SIGKILL);
    ++exits[p.wait().exit_code];
  }
  if (std::getenv("GL_KILL_ITERATIONS")) {  // bench/kill_loop.sh prints what the runs did
    for (const auto& [code, n] : exits) std::printf("killed runs: exit %d: %d\n", code, n);
  }
  CHECK(exits[128 + SIGKILL] > 0);  // the kills did land

  wait_for_dead_sessions(f);
  f.sandbox.clear_faults();
  // Clean runs: publish until the queue is empty (a post left `posting` by a
  // kill before its call is queued again after 15 minutes), then collect.
  minutes += 20;
  for (int run = 0; run < 12; ++run, minutes += 5) {
    Result r = run_tool(with_tolerance({"publish", "--now", at_minutes(minutes)}), f.env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    if (f.count("SELECT count(*) FROM content_metadata WHERE status IN ('queued', 'posting')") == 0)
      break;
  }
  const std::string final_now = at_minutes(minutes + 24 * 60);
  Result scrape = run_tool({"scrape-metrics", "--now", final_now}, f.env);
  INFO(scrape.err);
  REQUIRE(scrape.exit_code == 0);

  // No double post, no lost post.
  std::map<std::string, int> on_x;
  for (const auto& t : f.sandbox.get("/sandbox/tweets")) ++on_x[t["text"].get<std::string>()];
  for (const auto& text : texts) {
    INFO(text);
    CHECK(on_x[text] == 1);
  }
  CHECK(f.count("SELECT count(*) FROM content_metadata WHERE status = 'posted'") ==
        kPosts + kQueued);
  // Every posted tweet read with X's own numbers (none zero-filled), the four tables in agreement.
  std::map<std::string, std::pair<long long, long long>> x_counts;
  for (const auto& t : f.sandbox.get("/sandbox/tweets?now=" + final_now)) {
    x_counts[t["id"].get<std::string>()] = {t["impressions"].get<long long>(),
                                            t["likes"].get<long long>()};
  }
  long long read = 0;
  {
    pqxx::nontransaction t(f.db.conn());
    for (const auto& r : t.exec_params("SELECT tweet_id, impressions, likes FROM outcomes "
                                       "WHERE available AND collected_at = $1",
                                       final_now)) {
      INFO(r[0].as<std::string>());
      CHECK(r[1].as<long long>(-1) == x_counts[r[0].as<std::string>()].first);
      CHECK(r[2].as<long long>(-1) == x_counts[r[0].as<std::string>()].second);
      ++read;
    }
  }
  CHECK(read == kPosts + kQueued);
  CHECK(f.disagreements() == 0);
  // Every killed run is on record as stale, none as running.
  CHECK(f.count("SELECT count(*) FROM job_runs WHERE status = 'running'") == 0);
}
