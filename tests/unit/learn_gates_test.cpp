#include <catch2/catch.hpp>

#include "import/merge.h"
#include "learn/attribution.h"
#include "learn/rules.h"
#include "learn/snapshot.h"

using namespace gl::learn;

namespace {

PostCounts counts(Count impressions, Count likes, Count retweets = 0, Count replies = 0,
                  Count quotes = 0, Count bookmarks = 0) {
  PostCounts c;
  c.impressions = impressions;
  c.likes = likes;
  c.retweets = retweets;
  c.replies = replies;
  c.quotes = quotes;
  c.bookmarks = bookmarks;
  return c;
}

}  // namespace

TEST_CASE("learning gates: available, views >= 100, likes >= 5, age >= 2 h") {
  CHECK(evaluate_gates(counts(100, 5), 2.0).passed);
  const auto young = evaluate_gates(counts(5000, 300), 1.9);
  CHECK_FALSE(young.passed);
  CHECK(young.failures == std::vector<std::string>{"age_below_2h"});
  CHECK(evaluate_gates(counts(99, 50), 10).failures == std::vector<std::string>{"views_below_100"});
  CHECK(evaluate_gates(counts(1000, 4), 10).failures == std::vector<std::string>{"likes_below_5"});
  const auto unknown = evaluate_gates(counts(std::nullopt, std::nullopt), 10);
  CHECK(unknown.failures == std::vector<std::string>{"views_unknown", "likes_unknown"});
  const auto gone = evaluate_gates(counts(1000, 50), 1, /*available=*/false);
  CHECK(gone.failures == std::vector<std::string>{"unavailable", "age_below_2h"});
  CHECK_FALSE(gone.successful);
}

TEST_CASE("successful = engagement rate >= 2% or views >= 5000, among gated posts") {
  CHECK(evaluate_gates(counts(1000, 20), 3).successful);
  CHECK_FALSE(evaluate_gates(counts(4000, 79), 3).successful);  // 1.975%
  CHECK(evaluate_gates(counts(4000, 80), 3).successful);        // 2% exactly
  CHECK(evaluate_gates(counts(5000, 10), 3).successful);
  CHECK_FALSE(evaluate_gates(counts(4999, 10), 3).successful);
  CHECK_FALSE(evaluate_gates(counts(5000, 10), 1).successful);  // not gated yet
  CHECK(meets_success(counts(5000, 10)));                       // outside posts: no gates
  CHECK_FALSE(meets_success(counts(std::nullopt, 500)));
}

TEST_CASE("engagement rate counts what X reports and is unknown without its parts") {
  CHECK(*engagement_rate(counts(1000, 10, 5, 3, 1, 1)) == Approx(0.02));
  CHECK(*engagement_rate(counts(1000, 10, 5, 3, std::nullopt, std::nullopt)) == Approx(0.018));
  CHECK_FALSE(engagement_rate(counts(std::nullopt, 10, 5, 3, 1, 1)));
  CHECK_FALSE(engagement_rate(counts(0, 0, 0, 0, 0, 0)));
  CHECK_FALSE(engagement_rate(counts(1000, std::nullopt, 5, 3, 1, 1)));
  CHECK_FALSE(engagement_rate(counts(1000, 10, std::nullopt, 3, 1, 1)));
  CHECK_FALSE(engagement_rate(counts(1000, 10, 5, std::nullopt, 1, 1)));
}

TEST_CASE("snapshots that contradict themselves or their history are flagged, not trusted") {
  PostCounts prev = counts(1000, 50, 10, 5, 1, 4);
  prev.profile_clicks = 7;
  prev.url_clicks = 0;
  PostCounts fine = prev;
  fine.impressions = 1500;
  fine.likes = 49;  // one un-like is real life
  CHECK(check_snapshot(fine, prev, {}).trusted);

  PostCounts dropped = prev;
  dropped.likes = 20;
  const auto d = check_snapshot(dropped, prev, {});
  CHECK_FALSE(d.trusted);
  CHECK(d.anomalies == std::vector<std::string>{"likes_decreased"});

  const PostCounts inflated = counts(10, 50);
  const auto i = check_snapshot(inflated, std::nullopt, {});
  CHECK_FALSE(i.trusted);
  CHECK(i.anomalies == std::vector<std::string>{"engagement_exceeds_views"});

  const auto p = check_snapshot(prev, std::nullopt, {"public_metrics.like_count is negative"});
  CHECK_FALSE(p.trusted);
  CHECK(p.anomalies.size() == 1);
  // Without views where views were known: newer likes over older views would be a rate of two
  // times (hK's reading: 900 likes beside 500 views, stored as a 1.8 rate).
  PostCounts no_views = prev;
  no_views.impressions.reset();
  no_views.likes = 60;
  const auto v = check_snapshot(no_views, prev, {});
  CHECK_FALSE(v.trusted);
  CHECK(v.anomalies == std::vector<std::string>{"views_missing"});
  CHECK(check_snapshot(no_views, std::nullopt, {}).trusted);  // never known: likes are still real

  // Engagement is checked with the counters the reading lacks at their last values.
  PostCounts no_retweets = counts(100, 60);
  no_retweets.retweets.reset();
  const auto m = check_snapshot(no_retweets, counts(100, 50, 45), {});
  CHECK_FALSE(m.trusted);
  CHECK(m.anomalies == std::vector<std::string>{"engagement_exceeds_views"});
}

TEST_CASE("an export whose likes fell updates the counters that rose and keeps the fallen one") {
  using gl::import::Observation;
  gl::import::StoredMetrics stored;
  stored.latest = counts(3000, 11, 2);
  stored.latest_at = gl::TimePoint{std::chrono::hours(1000)};
  const gl::TimePoint later{std::chrono::hours(1100)};

  const auto m =
      gl::import::merge_observations(stored, {Observation{later, counts(5000, 3, 2), {}}});
  CHECK(m.latest.impressions == 5000);
  CHECK(m.latest.likes == 11);  // 11 -> 3 is past the slack: not taken
  CHECK(m.latest.retweets == 2);
  CHECK(m.latest_at == later);
  CHECK(m.anomalies == std::vector<std::string>{"likes_decreased"});
  REQUIRE(m.snapshots.size() == 1);
  CHECK(m.snapshots[0].counts.likes == 3);  // the reading itself is kept as X gave it

  // A reading that contradicts itself changes nothing.
  const auto bad =
      gl::import::merge_observations(stored, {Observation{later, counts(10, 50, 2), {}}});
  CHECK(bad.latest.impressions == 3000);
  CHECK(bad.latest.likes == 11);

  // A counter the reading leaves out keeps the stored value.
  PostCounts no_likes = counts(4000, std::nullopt, 2);
  const auto partial = gl::import::merge_observations(stored, {Observation{later, no_likes, {}}});
  CHECK(partial.latest.impressions == 4000);
  CHECK(partial.latest.likes == 11);
  // An archive (likes, no views) newer than the stored views: its likes beside those views
  // would be a rate of two times; it is kept as a reading and changes nothing.
  PostCounts archive = counts(std::nullopt, 40, 2);
  const auto mixed = gl::import::merge_observations(stored, {Observation{later, archive, {}}});
  CHECK(mixed.latest.impressions == 3000);
  CHECK(mixed.latest.likes == 11);
  CHECK(mixed.latest_at == stored.latest_at);
  CHECK(mixed.anomalies == std::vector<std::string>{"views_missing"});
  REQUIRE(mixed.snapshots.size() == 1);
  CHECK(mixed.snapshots[0].counts.likes == 40);
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
