// Known answers for the off-policy estimators (learn/off_policy) on small
// hand-made logs.
#include "learn/off_policy.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

using namespace gl::learn;

namespace {

// Weights 0.5, 2, 0, 3; rewards 1, 2, 0, 4; a direct model that says 1 for
// every logged plan and 2 for the target's.
std::vector<LoggedDecision> hand_log() {
  return {{1, 0.5, 0.25, 1, 2}, {2, 0.25, 0.5, 1, 2}, {0, 0.5, 0, 1, 2}, {4, 0.1, 0.3, 1, 2}};
}

OffPolicyOptions lenient() {
  OffPolicyOptions o;
  o.min_supported_posts = 2;
  o.min_ess = 2;
  return o;
}

}  // namespace

TEST_CASE("IPS, SNIPS, DR and the effective sample size on a hand-made log") {
  const auto d = hand_log();
  const auto w = importance_weights(d, OffPolicyOptions{});
  REQUIRE(w.size() == 4);
  CHECK(w[0] == Approx(0.5));
  CHECK(w[1] == Approx(2));
  CHECK(w[2] == 0);
  CHECK(w[3] == Approx(3));
  CHECK(ips(d, w) == Approx(16.5 / 4));        // (0.5*1 + 2*2 + 0 + 3*4) / 4
  CHECK(snips(d, w) == Approx(3));             // 16.5 / (0.5 + 2 + 0 + 3)
  CHECK(doubly_robust(d, w) == Approx(4.75));  // 2 + (0.5*0 + 2*1 + 0 + 3*3) / 4
  CHECK(effective_sample_size(w) == Approx(30.25 / 13.25));
}

TEST_CASE("clipping cuts the large weights and only them") {
  const auto d = hand_log();
  OffPolicyOptions o;
  o.clip = 2;
  const auto w = importance_weights(d, o);
  CHECK(w[0] == Approx(0.5));
  CHECK(w[3] == Approx(2));
  CHECK(ips(d, w) == Approx(12.5 / 4));
  CHECK(snips(d, w) == Approx(12.5 / 4.5));
}

TEST_CASE("a perfect direct model makes DR the model's value whatever the weights") {
  auto d = hand_log();
  for (auto& x : d) x.model_logged = x.reward;
  const auto w = importance_weights(d, OffPolicyOptions{});
  CHECK(doubly_robust(d, w) == Approx(2));
}

TEST_CASE("the target equal to the logging policy gives the realised mean") {
  std::vector<LoggedDecision> d = {{1, 0.2, 0.2, 0, 0}, {3, 0.7, 0.7, 0, 0}, {2, 0.01, 0.01, 0, 0}};
  const auto w = importance_weights(d, OffPolicyOptions{});
  CHECK(ips(d, w) == Approx(2));
  CHECK(snips(d, w) == Approx(2));
  CHECK(effective_sample_size(w) == Approx(3));
}

TEST_CASE("a logged plan under the support floor gives no weight and no support") {
  std::vector<LoggedDecision> d = {{5, 1e-9, 0.5, 0, 0}, {1, 0.5, 0.5, 0, 0}};
  const auto w = importance_weights(d, OffPolicyOptions{});
  CHECK(w[0] == 0);
  CHECK(w[1] == Approx(1));
  const Support s = support(d, lenient());
  CHECK(s.supported == 1);
  CHECK(s.share == Approx(0.5));
  REQUIRE(s.warning);  // one supported post is under the minimum of 2
}

TEST_CASE("a policy the log never followed gets a warning, not a number") {
  auto d = hand_log();
  for (auto& x : d) x.target_p = 0;
  for (const auto& e : evaluate_off_policy(d, lenient())) {
    CHECK_FALSE(e.value);
    CHECK_FALSE(e.ci_low);
    REQUIRE(e.support.warning);
    CHECK(e.support.warning->find("no support") == 0);
    CHECK(e.support.supported == 0);
  }
}

TEST_CASE("a policy the log rarely followed gets a warning for its tiny mean weight") {
  // Every logged plan likely, the target's plans almost never logged.
  std::vector<LoggedDecision> d(50, LoggedDecision{1, 0.5, 0.01, 0, 0});
  const Support s = support(d, OffPolicyOptions{});
  CHECK(s.share == 1);
  CHECK(s.ess == Approx(50));
  CHECK(s.mean_weight == Approx(0.02));
  REQUIRE(s.warning);
  CHECK(s.warning->find("mean weight") != std::string::npos);
}

TEST_CASE("bootstrap intervals are seeded, contain the estimate and shrink with data") {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> reward(1, 1);
  std::uniform_real_distribution<double> p(0.2, 0.8);
  const auto log_of = [&](int n) {
    std::vector<LoggedDecision> d;
    for (int i = 0; i < n; ++i) {
      const double mu = p(rng);
      d.push_back({reward(rng), mu, 0.5, 1, 1});
    }
    return d;
  };
  const auto small = log_of(40);
  const auto large = log_of(1600);
  const auto a = evaluate_off_policy(small, OffPolicyOptions{});
  const auto b = evaluate_off_policy(small, OffPolicyOptions{});
  const auto c = evaluate_off_policy(large, OffPolicyOptions{});
  REQUIRE(a.size() == 3);
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(estimator_name(a[i].estimator));
    REQUIRE(a[i].value);
    CHECK(*a[i].ci_low == *b[i].ci_low);  // the same seed, the same interval
    CHECK(*a[i].ci_high == *b[i].ci_high);
    CHECK(*a[i].ci_low <= *a[i].value);
    CHECK(*a[i].value <= *a[i].ci_high);
    // 40x the data: about a sixth of the width (1/sqrt(40)), surely under a third.
    CHECK(*c[i].ci_high - *c[i].ci_low < (*a[i].ci_high - *a[i].ci_low) / 3);
  }
}

TEST_CASE("the bootstrap interval of a mean matches the normal one") {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> x(5, 2);
  std::vector<double> v(400);
  for (auto& e : v) e = x(rng);
  OffPolicyOptions o;
  o.bootstrap = 4000;
  const MeanInterval m = bootstrap_mean(v, o);
  REQUIRE(m.ci_low);
  REQUIRE(m.ci_high);
  // 95%: +-1.96 * 2 / sqrt(400) = +-0.196.
  CHECK(*m.ci_high - *m.ci_low == Approx(0.392).epsilon(0.15));
  CHECK(*m.ci_low < m.value);
  CHECK(m.value < *m.ci_high);

  // One value resampled is that value again: no interval, rather than one of width 0.
  const MeanInterval one = bootstrap_mean({0.7}, o);
  CHECK(one.value == 0.7);
  CHECK_FALSE(one.ci_low);
  CHECK_FALSE(one.ci_high);
}

TEST_CASE(
    "plan-post's exploration rule changes the spread only when the interval clears the current "
    "one") {
  // The current 0.3 at 5.0 [4.6, 5.4].
  const ScaleEstimate current{0.3, 5.0, 4.6, 5.4};
  SECTION("a better candidate whose interval overlaps keeps the current spread") {
    const auto c = choose_exploration(0.3, {current, {0.1, 5.3, 5.0, 5.6}, {0.6, 4.5, 4.0, 5.0}});
    CHECK(c.exploration == 0.3);
    CHECK_FALSE(c.changed);
    CHECK(c.reason.find("not clear") != std::string::npos);
  }
  SECTION("a candidate whose whole interval lies above is chosen") {
    const auto c = choose_exploration(0.3, {current, {0.1, 6.0, 5.5, 6.4}, {0.6, 5.8, 5.41, 6.2}});
    CHECK(c.exploration == 0.1);  // the best estimate, not merely any clear one
    CHECK(c.changed);
  }
  SECTION("the current spread best, or not evaluated: kept") {
    CHECK(choose_exploration(0.3, {current, {0.1, 4.0, 3.0, 4.5}}).exploration == 0.3);
    const auto c = choose_exploration(0.45, {current, {0.1, 9.0, 8.0, 10.0}});
    CHECK(c.exploration == 0.45);
    CHECK_FALSE(c.changed);
    CHECK(c.reason.find("no estimate") != std::string::npos);
  }
}
