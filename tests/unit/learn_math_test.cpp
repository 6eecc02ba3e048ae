#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "learn/bandit.h"
#include "learn/formulas.h"
#include "learn/predictor.h"
#include "learn/rules.h"
#include "learn/stats.h"

using namespace gl::learn;

TEST_CASE("basic statistics have known answers") {
  CHECK(mean({1, 2, 3, 4}) == Approx(2.5));
  CHECK(median({5, 1, 3}) == Approx(3));
  CHECK(median({4, 1, 3, 2}) == Approx(2.5));
  CHECK(variance({2, 4, 4, 4, 5, 5, 7, 9}) == Approx(32.0 / 7));
  CHECK(normal_cdf(0) == Approx(0.5));
  CHECK(normal_cdf(1.96) == Approx(0.975).epsilon(1e-3));
}

TEST_CASE("Normal posteriors shrink toward the account mean, less as data grows") {
  // prior mean 1, 5 pseudo-observations; 5 observations averaging 3 -> posterior mean 2.
  const auto p = normal_posterior(15, 5, 1, 0.5, 5);
  CHECK(p.mean == Approx(2));
  CHECK(p.sd == Approx(std::sqrt(0.5 / 10)));
  const auto more = normal_posterior(300, 100, 1, 0.5, 5);
  CHECK(more.mean == Approx((5 + 300) / 105.0));
  CHECK(more.sd < p.sd);
  // Seen twice is not proven; seen often and consistently is.
  CHECK(prob_above(normal_posterior(2 * 1.5, 2, 1, 0.5, 5), 1) < 0.85);
  CHECK(prob_above(normal_posterior(50 * 1.5, 50, 1, 0.5, 5), 1) > 0.99);
}

TEST_CASE(
    "the reward weighs high-intent actions and smooths small counts toward the account's rates") {
  const ActionValues none{};
  PostOutcome likes;
  likes.impressions = 1000000;  // so many views that smoothing hardly matters
  likes.likes = 100;
  PostOutcome replies = likes;
  replies.likes = 0;
  replies.replies = 2;
  CHECK(post_reward(likes, none) == Approx(std::log1p(50)).epsilon(0.01));
  CHECK(post_reward(replies, none) == Approx(std::log1p(54)).epsilon(0.01));
  PostOutcome follows;
  follows.impressions = 1000000;
  follows.followers_gained = 1;
  CHECK(post_reward(follows, none) == Approx(std::log1p(50)).epsilon(0.01));
  CHECK(post_reward(PostOutcome{}, none) == 0);
  PostOutcome lost = follows;
  lost.followers_gained = -3;  // a share of followers lost counts as none gained
  CHECK(post_reward(lost, none) == 0);

  // A small post: one reply more barely moves the reward; the account's rate does the talking.
  ActionValues account{};
  account[2] = 0.002;  // replies
  REQUIRE(std::string(kRewardActions[2].name) == "replies");
  PostOutcome small;
  small.impressions = 500;
  small.replies = 1;
  PostOutcome lucky = small;
  lucky.replies = 2;
  const double expected_one =
      std::log1p(500 * 27 * (1 + kPseudoImpressions * 0.002) / (500 + kPseudoImpressions));
  CHECK(post_reward(small, account) == Approx(expected_one));
  CHECK(post_reward(lucky, account) - post_reward(small, account) < std::log1p(27) / 4);
  // More reach with the same rates is more reward.
  PostOutcome wide = small;
  wide.impressions = 5000;
  wide.replies = 10;
  CHECK(post_reward(wide, account) > post_reward(small, account));
}

TEST_CASE("the account's rates are known counts over the impressions of the posts that know them") {
  PostOutcome a, b;
  a.impressions = 1000;
  a.likes = 30;
  a.followers_gained = 2;
  b.impressions = 3000;
  b.likes = 10;
  b.replies = 4;
  b.followers_gained = -1;  // counts as 0
  const ActionValues r = account_rates({a, b});
  CHECK(r[0] == Approx(40.0 / 4000));
  CHECK(r[2] == Approx(4.0 / 3000));  // a's replies are unknown, not 0
  CHECK(r[6] == Approx(2.0 / 4000));
  CHECK(account_rates({}) == ActionValues{});
}

TEST_CASE("an unknown count is taken at the account's rate, not as none") {
  PostOutcome known;
  known.impressions = 1000;
  known.likes = 20;
  known.retweets = 2;
  known.replies = 5;
  PostOutcome unknown = known;
  unknown.replies.reset();
  PostOutcome none = known;
  none.replies = 0;
  PostOutcome at_rate = known;
  const ActionValues rates = account_rates({known});
  at_rate.replies = static_cast<long long>(rates[2] * 1000);  // 5
  CHECK(post_reward(unknown, rates) == Approx(post_reward(at_rate, rates)));
  CHECK(post_reward(unknown, rates) > post_reward(none, rates));
}

TEST_CASE("the rules print as data with the weights the reward uses") {
  const auto j = rules_json();
  CHECK(j["gates"]["min_views"] == 100);
  CHECK(j["gates"]["min_likes"] == 5);
  CHECK(j["gates"]["min_age_hours"] == 2.0);
  CHECK(j["success"]["min_engagement_rate"] == 0.02);
  CHECK(j["success"]["min_views"] == 5000);
  CHECK(j["reward"]["weights"]["replies"] == 27.0);
  CHECK(j["reward"]["weights"]["followers_gained"] == 50.0);
  CHECK(j["reward"]["weights"].size() == kRewardActionCount);
  CHECK(j["reward"]["pseudo_impressions"] == kPseudoImpressions);
  CHECK(j["gates"]["failures"][5] == "age_below_2h");
}

TEST_CASE("decayed bandit arms rank by posterior mean, shrunk toward the pooled mean") {
  CHECK(decay_weight(0) == Approx(1));
  CHECK(decay_weight(14) == Approx(0.5));
  CHECK(decay_weight(28) == Approx(0.25));
  std::vector<BanditArm> arms;
  const auto arm = [](std::string key, double n, double mean_r) {
    return BanditArm{key, static_cast<long long>(n), n, n * mean_r, n * (mean_r * mean_r + 0.25)};
  };
  arms.push_back(arm("best", 20, 3.0));
  arms.push_back(arm("mid", 20, 2.8));
  arms.push_back(arm("worst", 20, 1.5));
  const auto post = arm_posteriors(arms);
  CHECK(post.prior_mean == Approx(7.3 / 3));
  CHECK(post.by_key.at("best").mean > post.by_key.at("mid").mean);
  CHECK(post.by_key.at("mid").mean > post.by_key.at("worst").mean);
  // 20 observations against 5 pseudo-observations of the pooled mean.
  CHECK(post.by_key.at("best").mean == Approx((20 * 3.0 + 5 * 7.3 / 3) / 25));
  CHECK(post.by_key.at("best").sd == Approx(std::sqrt(post.noise_var / 25)));
}

TEST_CASE("arms of one post each borrow no certainty from two close posts elsewhere") {
  // A report's weekday x hour slots: twelve slots of one post each, rewards
  // 1.0 to 3.2 (variance about 0.5), and one slot of two posts that agree.
  std::vector<BanditArm> arms;
  std::vector<double> all;
  for (int i = 0; i < 12; ++i) {
    const double r = 1.0 + 0.2 * i;
    all.push_back(r);
    arms.push_back({"slot" + std::to_string(i), 1, 1, r, r * r});
  }
  arms.push_back({"pair", 2, 2, 4.0, 8.0});
  all.insert(all.end(), {2.0, 2.0});
  const auto post = arm_posteriors(arms);
  // One degree of freedom within the arms: the noise is the rewards' spread.
  CHECK(post.noise_var == Approx(variance(all)));
  double top = 0;
  for (const auto& [key, p] : post.by_key) {
    if (key != "pair") top = std::max(top, evidence_of(p, 1, post.prior_mean).confidence);
  }
  // The best one-post slot is not near-certain evidence.
  CHECK(top < 0.9);
}

TEST_CASE("the ridge predictor recovers a planted linear signal and beats the mean") {
  std::mt19937_64 rng(11);
  std::normal_distribution<double> noise(0, 0.1);
  std::vector<Sample> samples;
  for (int i = 0; i < 400; ++i) {
    FeatureMap x;
    const bool a = i % 2 == 0, b = i % 3 == 0;
    if (a) x["a"] = 1;
    if (b) x["b"] = 1;
    samples.push_back({x, 2.0 + 1.5 * a - 0.8 * b + noise(rng)});
  }
  const auto r = train_ridge(samples);
  REQUIRE(r);
  FeatureMap only_a{{"a", 1}}, only_b{{"b", 1}};
  CHECK(r->model.predict(only_a) - r->model.predict({}) == Approx(1.5).margin(0.05));
  CHECK(r->model.predict(only_b) - r->model.predict({}) == Approx(-0.8).margin(0.05));
  CHECK(r->holdout_rmse < 0.15);
  CHECK(r->baseline_rmse > 0.5);
  CHECK(r->holdout_r2 > 0.9);
  const auto round_trip = LinearModel::from_json(r->model.to_json());
  CHECK(round_trip.predict(only_a) == Approx(r->model.predict(only_a)));
  CHECK_FALSE(train_ridge(std::vector<Sample>(5, samples[0])));
}

TEST_CASE("post features name hook, length, topic, generator and time") {
  const auto f =
      features_of({"73% of adults sleep badly. Why?", "Sleep", "dataNerd", "f1", 19, 3, 5, {}});
  CHECK(f.count("hook=surprising_stat"));
  CHECK(f.count("topic=sleep"));
  CHECK(f.count("generator=dataNerd"));
  CHECK(f.count("hour=19"));
  CHECK(f.count("weekday=3"));
  CHECK(f.count("numbers"));
  CHECK(f.count("question"));
  CHECK(f.at("spacing") == Approx(std::log1p(5.0) / 5));
}

TEST_CASE("formulas group by structure and score from the numbers, best first") {
  std::vector<FormulaObservation> obs;
  for (int i = 0; i < 6; ++i) {
    obs.push_back({"1" + std::to_string(i),
                   "73% of people sleep under 7 hours. Research shows it costs " +
                       std::to_string(i) + " IQ points.",
                   kSourceOwn, "dataNerd", 9000, 0.04, 20, std::log(2000.0)});
  }
  obs.push_back({"20", "Sleep is everything and nothing else matters.", kSourceOwn, "philosopher",
                 2100, 0.021, 1, std::log(2000.0)});
  obs.push_back({"21", "Sleep is everything, and nothing else really matters.", kSourceViralReply,
                 "", 1500, std::nullopt, std::nullopt, std::log(2000.0)});
  const auto fs = extract_formulas(obs);
  REQUIRE(fs.size() == 2);
  const auto& best = fs[0];
  CHECK(best.hook == "surprising_stat");
  CHECK(best.sample_size == 6);
  CHECK(*best.avg_views == Approx(9000));
  CHECK(*best.avg_engagement_rate == Approx(0.04));
  CHECK(*best.followers_per_1000_views == Approx(1000.0 * 120 / 54000));
  CHECK(best.structure == "[Surprising stat] + [Evidence]");
  CHECK(best.generators.count("dataNerd"));
  CHECK(best.confidence > 0.9);
  const auto& weak = fs[1];
  CHECK(weak.sample_size == 2);
  CHECK(weak.sources.size() == 2);
  CHECK(weak.confidence < best.confidence);
  // Only posts with attributed followers count towards the conversion.
  REQUIRE(weak.followers_per_1000_views);
  CHECK(*weak.followers_per_1000_views == Approx(1000.0 / 2100));
}
