#include <catch2/catch.hpp>

#include "learn/attribution.h"
#include "learn/gates.h"
#include "learn/snapshot.h"

using namespace gl::learn;

TEST_CASE("learning gates: views >= 100, likes >= 5, age >= 2 h") {
  CHECK(evaluate_gates(100, 5, 0.01, 2.0).passed);
  const auto young = evaluate_gates(5000, 300, 0.05, 1.9);
  CHECK_FALSE(young.passed);
  CHECK(young.failures == std::vector<std::string>{"age_below_2h"});
  CHECK(evaluate_gates(99, 50, 0.5, 10).failures == std::vector<std::string>{"views_below_100"});
  CHECK(evaluate_gates(1000, 4, 0.01, 10).failures == std::vector<std::string>{"likes_below_5"});
  const auto unknown = evaluate_gates(std::nullopt, std::nullopt, std::nullopt, 10);
  CHECK(unknown.failures == std::vector<std::string>{"views_unknown", "likes_unknown"});
}

TEST_CASE("successful = engagement rate >= 2% or views >= 5000, among gated posts") {
  CHECK(evaluate_gates(1000, 20, 0.02, 3).successful);
  CHECK_FALSE(evaluate_gates(1000, 19, 0.0199, 3).successful);
  CHECK(evaluate_gates(5000, 10, 0.002, 3).successful);
  CHECK_FALSE(evaluate_gates(5000, 10, 0.002, 1).successful);  // not gated yet
}

TEST_CASE("engagement rate counts what X reports and is unknown without impressions") {
  CHECK(*engagement_rate(1000, 10, 5, 3, 1, 1) == Approx(0.02));
  CHECK(*engagement_rate(1000, 10, 5, 3, std::nullopt, std::nullopt) == Approx(0.018));
  CHECK_FALSE(engagement_rate(std::nullopt, 10, 5, 3, 1, 1));
  CHECK_FALSE(engagement_rate(0, 0, 0, 0, 0, 0));
  CHECK_FALSE(engagement_rate(1000, std::nullopt, 5, 3, 1, 1));
}

TEST_CASE("snapshots that contradict themselves or their history are flagged, not trusted") {
  const TweetMetricsSnapshot prev{1000, 50, 10, 5, 1, 4, 7, 0};
  TweetMetricsSnapshot fine = prev;
  fine.impressions = 1500;
  fine.likes = 49;  // one un-like is real life
  CHECK(check_snapshot(fine, prev, {}).trusted);

  TweetMetricsSnapshot dropped = prev;
  dropped.likes = 20;
  const auto d = check_snapshot(dropped, prev, {});
  CHECK_FALSE(d.trusted);
  CHECK(d.anomalies == std::vector<std::string>{"likes_decreased"});

  TweetMetricsSnapshot inflated{10, 50, 0, 0, 0, 0, 0, 0};
  const auto i = check_snapshot(inflated, std::nullopt, {});
  CHECK_FALSE(i.trusted);
  CHECK(i.anomalies == std::vector<std::string>{"engagement_exceeds_views"});

  const auto p = check_snapshot(prev, std::nullopt, {"public_metrics.like_count is negative"});
  CHECK_FALSE(p.trusted);
  CHECK(p.anomalies.size() == 1);
}

TEST_CASE("a follower change is split across the window's posts, never copied onto each") {
  const auto shares =
      attribute_followers(10, {{"a", 30.0, 3000.0}, {"b", 10.0, 1000.0}, {"c", 0.0, 500.0}});
  REQUIRE(shares.size() == 3);
  double total = 0;
  for (const auto& s : shares) {
    CHECK(s.basis == "profile_clicks");
    total += s.followers_gained;
  }
  CHECK(total == Approx(10));
  CHECK(shares[0].followers_gained == Approx(7.5));
  CHECK(shares[1].followers_gained == Approx(2.5));
  CHECK(shares[2].followers_gained == Approx(0));

  // Without clicks for every post, impressions decide; without either, evenly.
  const auto by_impressions =
      attribute_followers(4, {{"a", std::nullopt, 300.0}, {"b", 5.0, 100.0}});
  CHECK(by_impressions[0].basis == "impressions");
  CHECK(by_impressions[0].followers_gained == Approx(3));
  const auto even = attribute_followers(
      -3, {{"a", std::nullopt, std::nullopt}, {"b", 1.0, std::nullopt}, {"c", 2.0, 5.0}});
  CHECK(even[0].basis == "even");
  CHECK(even[2].followers_gained == Approx(-1));

  // Confidence falls as more posts share a window.
  const auto alone = attribute_followers(5, {{"a", 3.0, 100.0}});
  CHECK(alone[0].followers_gained == Approx(5));
  CHECK(alone[0].confidence > shares[0].confidence);
  CHECK(shares[0].confidence >
        attribute_followers(5, std::vector<WindowActivity>(9, {"x", 1.0, 1.0}))[0].confidence);
}

TEST_CASE("counters interpolate between observations and hold after the last") {
  const auto t0 = gl::parse_iso8601("2026-11-01T00:00:00Z").value();
  const std::vector<Observation> obs = {{t0 + std::chrono::hours(2), 20},
                                        {t0 + std::chrono::hours(4), 60}};
  CHECK(interpolate(obs, t0, t0) == Approx(0));
  CHECK(interpolate(obs, t0, t0 + std::chrono::hours(1)) == Approx(10));
  CHECK(interpolate(obs, t0, t0 + std::chrono::hours(3)) == Approx(40));
  CHECK(interpolate(obs, t0, t0 + std::chrono::hours(9)) == Approx(60));
}
