#include <catch2/catch.hpp>

#include "core/error.h"
#include "sandbox/audience.h"
#include "sandbox/faults.h"
#include "sandbox/world.h"

using namespace gl::sandbox;

TEST_CASE("the audience's metrics grow with age and never go down") {
  World w(default_truth(), 7);
  auto& u = w.user_for_key("oauth1:t");
  const auto t0 = gl::parse_iso8601("2026-11-20T23:00:00Z").value();  // 18:00 in New York
  const auto& t =
      w.post(u, "73% of adults sleep less than 7 hours. Studies agree.", std::nullopt, t0);
  Counts prev = w.counts(t, t0);
  CHECK(prev.impressions == 0);
  for (int h = 1; h <= 72; ++h) {
    const Counts c = w.counts(t, t0 + std::chrono::hours(h));
    CHECK(c.impressions >= prev.impressions);
    CHECK(c.likes >= prev.likes);
    CHECK(c.likes <= c.impressions);
    prev = c;
  }
  CHECK(prev.impressions > 100);
  CHECK(w.followers(u, t0 + std::chrono::hours(72)) >= w.followers(u, t0));
}

TEST_CASE("the truth decides: a better topic and hour earn more, same seed same numbers") {
  const Truth truth = default_truth();
  const auto evening = gl::parse_iso8601("2026-11-20T00:00:00Z").value();  // 19:00 New York
  const auto night = gl::parse_iso8601("2026-11-20T08:00:00Z").value();    // 03:00 New York
  const std::string good = "73% of adults get sleep wrong. Research shows why.";
  const std::string worse = "73% of adults get nutrition wrong. Research shows why.";
  CHECK(expected_final(truth, good, evening).impressions >
        expected_final(truth, worse, evening).impressions);
  CHECK(expected_final(truth, good, evening).impressions >
        3 * expected_final(truth, good, night).impressions);
  const auto a = final_metrics(truth, good, evening, 1, "42");
  const auto b = final_metrics(truth, good, evening, 1, "42");
  const auto c = final_metrics(truth, good, evening, 2, "42");
  CHECK(a.impressions == b.impressions);
  CHECK(a.impressions != c.impressions);
}

TEST_CASE("a truth file can shift the audience at a given time") {
  const auto j = nlohmann::json::parse(R"({"topics":{"sleep":0.5,"focus":-0.5},
    "shift":{"at":"2026-12-01T00:00:00Z","truth":{"topics":{"sleep":-0.5,"focus":0.5}}}})");
  const Truth t = parse_truth(j, "truth.json");
  const auto before = gl::parse_iso8601("2026-11-25T00:00:00Z").value();
  const auto after = gl::parse_iso8601("2026-12-05T00:00:00Z").value();
  CHECK(active_truth(t, before).topics.at("sleep") == 0.5);
  CHECK(active_truth(t, after).topics.at("sleep") == -0.5);
  CHECK(truth_to_json(t).contains("shift"));
  CHECK_THROWS_AS(
      parse_truth(nlohmann::json::parse(R"({"topics":{"sleep":"high"}})"), "truth.json"),
      gl::Error);
  CHECK_THROWS_AS(parse_truth(nlohmann::json::parse(R"({"hours":[1,2]})"), "truth.json"),
                  gl::Error);
}

TEST_CASE("fault rules skip, then break a set number of requests on their endpoint") {
  FaultPlan plan;
  plan.replace(parse_faults(
      nlohmann::json::parse(
          R"({"rules":[{"endpoint":"GET /2/tweets","kind":"server_error","skip":1,"times":2}]})"),
      "faults"));
  CHECK_FALSE(plan.take("GET /2/users/me"));
  CHECK_FALSE(plan.take("GET /2/tweets"));
  CHECK(plan.take("GET /2/tweets"));
  CHECK(plan.take("GET /2/tweets"));
  CHECK_FALSE(plan.take("GET /2/tweets"));
  CHECK_THROWS_AS(parse_faults(nlohmann::json::parse(R"({"rules":[{"kind":"meteor"}]})"), "faults"),
                  gl::Error);
}
