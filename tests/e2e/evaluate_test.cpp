// evaluate against x-sandbox, where the truth of any policy is computable:
// a logged simulation with the default policy, then the off-policy estimates
// of several policies next to their true values (POST /sandbox/score).
#include <catch2/catch.hpp>
#include <chrono>
#include <set>

#include "core/clock.h"
#include "support/sandbox.h"

using namespace gl::test;
using nlohmann::json;

namespace {

const std::string kQuiet = std::string(GL_SOURCE_DIR) + "/bench/audiences/quiet.json";
const auto kStart = *gl::parse_iso8601("2026-11-01T00:00:00Z");

std::string at_hour(int hour) { return gl::format_iso8601(kStart + std::chrono::hours(hour)); }

// Simulated days of a logging policy (up to six posts a day), then
// every post read again once its metrics are final. Tools run only when they
// have work (publish when a post is due), to keep the test fast.
std::map<std::string, std::string> logged_simulation(TestDb& db, const Sandbox& sandbox, int seed,
                                                     const std::string& policy, int days,
                                                     const std::vector<std::string>& topics) {
  auto env = tool_env(db.url(), sandbox, "evaluate-token");
  std::vector<std::string> add = {"accounts", "add", "eval", "--timezone", "America/New_York"};
  for (const auto& t : topics) {
    add.push_back("--topic");
    add.push_back(t);
  }
  REQUIRE(run_tool(add, env).exit_code == 0);
  const auto call = [&](std::vector<std::string> args) {
    const Result r = run_tool(args, env);
    INFO(args[0] << ": " << r.err);
    REQUIRE(r.exit_code == 0);
  };
  for (int hour = 0; hour < 24 * days; ++hour) {
    const std::string now = at_hour(hour);
    if (hour % 6 == 0) {
      call({"plan-post", "--now", now, "--policy", policy, "--fill-to", "4", "--daily-cap", "6",
            "--min-spacing-hours", "2", "--seed", std::to_string(seed * 1000 + hour)});
    }
    if (db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'queued' "
                  "AND scheduled_at <= '" +
                  now + "'") != "0") {
      call({"publish", "--now", now});
    }
    if (hour % 6 == 5) call({"scrape-metrics", "--now", now});
  }
  call({"scrape-metrics", "--now", at_hour(24 * 11)});
  return env;
}

std::vector<json> evaluate(const std::map<std::string, std::string>& env,
                           const std::vector<std::string>& policies) {
  std::vector<std::string> args = {"evaluate", "--now", at_hour(24 * 11), "--truth-samples", "16",
                                   "--draws",  "100"};
  for (const auto& p : policies) {
    args.push_back("--policy");
    args.push_back(p);
  }
  const Result r = run_tool(args, env);
  INFO(r.err << r.out);
  REQUIRE(r.exit_code == 0);
  return json_lines(r.out);
}

// The lines of one policy, by estimator.
std::map<std::string, json> by_estimator(const std::vector<json>& lines,
                                         const std::string& policy) {
  std::map<std::string, json> out;
  for (const auto& j : lines) {
    if (j["policy"] == policy) out[j["estimator"].get<std::string>()] = j;
  }
  return out;
}

}  // namespace

TEST_CASE("evaluate's doubly robust intervals cover the true values of policies in x-sandbox") {
  // An exploring log (uniform choices over two topics), and policies it
  // supports: uniform choices and the habit of one topic (the rest uniform).
  const std::vector<std::string> policies = {"random", "fixed:topic=sleep",
                                             "fixed:topic=nutrition"};
  int covered = 0, numbers = 0;
  for (int seed : {1, 2, 3, 4}) {
    TestDb db;
    Sandbox sandbox({"--seed", std::to_string(seed), "--truth", kQuiet});
    const auto lines = evaluate(
        logged_simulation(db, sandbox, seed, "random", 4, {"sleep", "nutrition"}), policies);
    for (const auto& p : policies) {
      const auto e = by_estimator(lines, p);
      REQUIRE(e.count("dr"));
      REQUIRE(e.count("truth"));
      const json& dr = e.at("dr");
      if (dr["value"].is_null()) {
        WARN("seed " << seed << " " << p << ": " << dr["warning"]);
        continue;
      }
      ++numbers;
      // The truth of a target is a mean of sampled plans' scores: its own
      // 95% Monte-Carlo margin widens the interval it must fall in.
      const double truth = e.at("truth")["value"].get<double>();
      const double margin = 1.96 * e.at("truth")["mc_error"].get<double>();
      const bool in = dr["ci_low"].get<double>() - margin <= truth &&
                      truth <= dr["ci_high"].get<double>() + margin;
      if (in) ++covered;
      WARN("seed " << seed << " " << p << ": dr " << dr["value"] << " [" << dr["ci_low"] << ", "
                   << dr["ci_high"] << "] truth " << truth << " +- " << margin << " ess "
                   << dr["ess"] << " posts " << dr["posts"]);
    }
  }
  // Most policies get a number, and at least 90% of the intervals cover the truth.
  CHECK(numbers >= 10);
  CHECK(covered >= 0.9 * numbers);
}

TEST_CASE(
    "on the default policy's log, evaluate gives the log's own value and warns where it "
    "has no support") {
  TestDb db;
  Sandbox sandbox({"--seed", "4", "--truth", kQuiet});
  const auto env =
      logged_simulation(db, sandbox, 4, "thompson", 3, {"sleep", "focus", "strength", "nutrition"});
  const std::vector<std::string> policies = {"logged", "fixed:topic=cooking,hour=3", "thompson"};
  const auto lines = evaluate(env, policies);
  // The log's own value: its realised mean covers the truth of what it posted.
  const auto logged = by_estimator(lines, "logged");
  REQUIRE(logged.count("realised"));
  CHECK(logged.at("realised")["posts"].get<int>() >= 8);
  CHECK(logged.at("realised")["unusable"] == 0);
  const double truth = logged.at("truth")["value"].get<double>();
  CHECK(logged.at("realised")["ci_low"].get<double>() <= truth);
  CHECK(truth <= logged.at("realised")["ci_high"].get<double>());
  // A habit the log never had (a topic it never wrote about): a warning, no number.
  const auto habit = by_estimator(lines, "fixed:topic=cooking,hour=3");
  for (const char* estimator : {"ips", "snips", "dr"}) {
    REQUIRE(habit.count(estimator));
    const json& j = habit.at(estimator);
    CHECK(j["value"].is_null());
    CHECK(j["ci_low"].is_null());
    CHECK(j["support"] == 0);
    CHECK(j["warning"].get<std::string>().rfind("no support", 0) == 0);
  }
  // Thompson's lines say how many draws estimated its probabilities.
  const auto thompson = by_estimator(lines, "thompson");
  REQUIRE(thompson.count("ips"));
  CHECK(thompson.at("ips")["draws"] == 100);
  CHECK(thompson.at("ips").contains("mc_error"));

  // Every line is kept for the report and plan-post --exploration auto; a re-run at the same
  // time replaces its rows, --dry-run keeps nothing.
  const auto stored = [&] {
    return std::stoll(db.scalar("SELECT count(*) FROM policy_estimates"));
  };
  CHECK(stored() == static_cast<long long>(lines.size()));
  CHECK(db.scalar("SELECT count(*) FROM policy_estimates WHERE policy = 'thompson' AND "
                  "estimator = 'dr' AND exploration = 0.3") == "1");
  CHECK(db.scalar("SELECT count(*) FROM policy_estimates WHERE policy = 'logged' AND "
                  "estimator = 'realised' AND value > 0 AND ci_low <= value") == "1");
  CHECK(db.scalar("SELECT count(*) FROM policy_estimates WHERE policy = 'fixed:topic=cooking,"
                  "hour=3' AND value IS NULL AND warning LIKE 'no support%'") == "3");
  evaluate(env, policies);
  CHECK(stored() == static_cast<long long>(lines.size()));
  std::vector<std::string> dry = {"evaluate", "--now", at_hour(24 * 12),
                                  "--draws",  "100",   "--dry-run"};
  REQUIRE(run_tool(dry, env).exit_code == 0);
  CHECK(stored() == static_cast<long long>(lines.size()));
  // The report draws the latest run beside the learning curve.
  const Result r = run_tool({"report", "--now", at_hour(24 * 12), "--format", "json"}, env);
  REQUIRE(r.exit_code == 0);
  const json curve = json::parse(r.out)["learning_curve"];
  std::set<std::string> shown;
  for (const auto& e : curve["estimates"]) {
    shown.insert(e["policy"].get<std::string>() + " " + e["estimator"].get<std::string>());
    if (e["policy"] == "logged") CHECK(e["value"].is_number());
  }
  // The realised value and each policy's doubly robust estimate, not the other estimators.
  CHECK(shown == std::set<std::string>{"logged realised", "fixed:topic=cooking,hour=3 dr",
                                       "thompson dr", "logged truth",
                                       "fixed:topic=cooking,hour=3 truth", "thompson truth"});
  CHECK(curve["estimates_note"].get<std::string>().find(at_hour(24 * 11)) != std::string::npos);
}
