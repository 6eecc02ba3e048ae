// The predictor's honesty (what it trains on, why it refuses, how it is
// judged) and the statistics behind the learning summary's evidence.
#include "learn/predictor.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "learn/stats.h"

using namespace gl::learn;

namespace {

// Posts oldest first; `likes_of(i)` and `views_of(i)` give each post's counts
// (negative: X did not report it). Replies and retweets are never reported.
template <typename Likes, typename Views>
std::vector<PredictorPost> posts(int n, Likes likes_of, Views views_of,
                                 const std::vector<double>& followers = {}) {
  std::vector<PredictorPost> out;
  for (int i = 0; i < n; ++i) {
    PredictorPost p;
    // The same words every time: the text explains nothing here.
    p.features = {i % 2 ? "A note about sleep" : "A note about focus",
                  i % 2 ? "sleep" : "focus",
                  "coach",
                  "",
                  9 + i % 3,
                  i % 7,
                  24,
                  followers.empty() ? std::nullopt : std::optional<double>(followers[i])};
    const long long likes = likes_of(i), views = views_of(i);
    if (likes >= 0) p.counts.likes = likes;
    if (views >= 0) p.counts.impressions = views;
    p.posted_at = 3600.0 * i;
    out.push_back(p);
  }
  return out;
}

const TargetModel& target(const std::vector<TargetModel>& ms, Target t) {
  for (const auto& m : ms)
    if (m.target == t) return m;
  throw std::runtime_error("no such target");
}

}  // namespace

TEST_CASE("spearman ranks with ties and is 0 without a ranking") {
  CHECK(spearman({1, 2, 3, 4}, {10, 20, 30, 40}) == Approx(1));
  CHECK(spearman({1, 2, 3, 4}, {4, 3, 2, 1}) == Approx(-1));
  // Ranks 1, 2.5, 2.5, 4 against 1, 2, 3, 4: 4.5 / sqrt(4.5 * 5).
  CHECK(spearman({1, 2, 2, 3}, {1, 2, 3, 4}) == Approx(4.5 / std::sqrt(22.5)));
  CHECK(spearman({5, 5, 5}, {1, 2, 3}) == 0);
  CHECK(spearman({1}, {1}) == 0);
}

TEST_CASE("an item is ranked only with 5 posts and an interval that excludes 0") {
  // Posterior 1.0 +- 0.2 against an account mean of 0.5: interval 0.5 +- 0.39.
  const Evidence clear = evidence_of({1.0, 0.2, 10}, 10, 0.5);
  CHECK(clear.effect == Approx(0.5));
  CHECK(clear.low == Approx(0.5 - 1.959964 * 0.2));
  CHECK(clear.high == Approx(0.5 + 1.959964 * 0.2));
  CHECK(clear.confidence == Approx(normal_cdf(2.5)));
  CHECK(clear.sufficient);
  CHECK_FALSE(evidence_of({1.0, 0.2, 4}, 4, 0.5).sufficient);    // too few posts
  CHECK_FALSE(evidence_of({1.0, 0.3, 40}, 40, 0.5).sufficient);  // interval holds 0
  const Evidence worse = evidence_of({0.0, 0.1, 30}, 30, 0.5);   // clearly below the mean
  CHECK(worse.sufficient);
  CHECK(worse.high < 0);
}

TEST_CASE("the recent baseline is the median of the last 10 known values") {
  CHECK_FALSE(recent_baseline({}));
  CHECK(*recent_baseline({3}) == 3);
  std::vector<double> v;
  for (int i = 1; i <= 15; ++i) v.push_back(i);
  CHECK(*recent_baseline(v) == Approx(10.5));  // median of 6..15
}

TEST_CASE("without views or replies the predictor learns likes and says why it cannot do more") {
  const auto ms = train_predictor(posts(
      40, [](int i) { return 5 + (i % 4) * 3; }, [](int) { return -1; }));
  const auto& views = target(ms, Target::kLogViews);
  CHECK(views.known == 0);
  CHECK_FALSE(views.fit);
  CHECK(views.reason == "X reported no view count for any of the 40 posts");
  const auto& er = target(ms, Target::kEngagementRate);
  CHECK_FALSE(er.fit);
  CHECK(er.reason.find("views for 40") != std::string::npos);
  CHECK(er.reason.find("retweets for 40") != std::string::npos);
  CHECK(er.reason.find("replies for 40") != std::string::npos);
  CHECK(er.reason.find("likes for") == std::string::npos);  // likes were reported
  const auto& likes = target(ms, Target::kLogLikes);
  CHECK(likes.known == 40);
  REQUIRE(likes.fit);
  CHECK(likes.fit->train_samples == 32);
  CHECK(likes.fit->holdout_samples == 8);
}

TEST_CASE("with too few posts the reason gives the true count and what is needed") {
  const auto ms = train_predictor(posts(
      12, [](int) { return 9; }, [](int i) { return 200 + i; }));
  CHECK(target(ms, Target::kLogViews).reason ==
        "12 posts with a view count, fewer than the 15 needed (10 to train, 5 held out)");
  CHECK(target(ms, Target::kLogLikes).reason ==
        "12 posts with a like count, fewer than the 15 needed (10 to train, 5 held out)");
  // 15 is enough: 10 train, 5 held out.
  const auto enough = train_predictor(posts(
      15, [](int) { return 9; }, [](int i) { return 200 + i; }));
  REQUIRE(target(enough, Target::kLogViews).fit);
  CHECK(target(enough, Target::kLogViews).fit->holdout_samples == 5);
}

TEST_CASE("the recent baseline follows an account whose reach grows, and beats the mean") {
  // Views double every 40 posts; nothing in the text explains them.
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 0.1);
  std::vector<double> views;
  for (int i = 0; i < 120; ++i)
    views.push_back(1000 * std::pow(2.0, i / 40.0) * std::exp(noise(rng)));
  const auto ms = train_predictor(posts(
      120, [](int) { return 20; }, [&](int i) { return static_cast<long long>(views[i]); }));
  const auto& m = target(ms, Target::kLogViews);
  REQUIRE(m.fit);
  CHECK(m.usable());
  CHECK(m.fit->holdout_rmse < 0.5 * m.fit->baseline_rmse);
  CHECK(m.fit->holdout_spearman > 0.3);
  REQUIRE(m.baseline_now);
  CHECK(*m.baseline_now == Approx(std::log(1000 * 8.0)).margin(0.2));
  // Likes are constant: nothing to learn, and the mean is not beaten.
  const auto& likes = target(ms, Target::kLogLikes);
  REQUIRE(likes.fit);
  CHECK_FALSE(likes.usable());
}

TEST_CASE("followers when posted explain reach across periods") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0, 0.05);
  std::vector<double> followers;
  for (int i = 0; i < 100; ++i) followers.push_back(i % 5 == 0 ? 20000 : 2000 + 10 * i);
  const auto ms = train_predictor(posts(
      100, [](int) { return 10; },
      [&](int i) { return static_cast<long long>(0.3 * followers[i] * std::exp(noise(rng))); },
      followers));
  const auto& m = target(ms, Target::kLogViews);
  REQUIRE(m.usable());
  CHECK(m.fit->holdout_r2 > 0.8);
  FeatureMap small = features_of({"x", "sleep", "coach", "", 9, 1, 24, 2000.0}, m.baseline_now);
  FeatureMap big = features_of({"x", "sleep", "coach", "", 9, 1, 24, 20000.0}, m.baseline_now);
  // Ten times the followers, about ten times the views (ln 10 = 2.3 on the log scale).
  CHECK(m.fit->model.predict(big) - m.fit->model.predict(small) ==
        Approx(std::log(10)).margin(0.5));
}

TEST_CASE("the penalty is chosen by leave-one-out error: small for signal, large for noise") {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  std::vector<Sample> signal, pure_noise;
  for (int i = 0; i < 60; ++i) {
    FeatureMap x{{"k=" + std::to_string(i % 20), 1}};
    signal.push_back({x, 3.0 * (i % 20) + 0.01 * noise(rng)});
    pure_noise.push_back({x, noise(rng)});
  }
  CHECK(choose_lambda(signal) <= 0.3);
  CHECK(choose_lambda(pure_noise) >= 10);
}

TEST_CASE("a prediction names only the targets whose model beats the mean") {
  LinearModel m;
  m.intercept = std::log1p(99.0);
  std::map<Target, StoredTarget> usable = {
      {Target::kLogLikes, {m, std::nullopt, {}, std::nullopt}}};
  const Prediction p = predict(usable, {"text", "sleep", "coach", "", 9, 1, 24, std::nullopt});
  CHECK_FALSE(p.views);
  CHECK_FALSE(p.engagement_rate);
  REQUIRE(p.likes);
  CHECK(*p.likes == Approx(99));
  const StoredTarget back =
      StoredTarget::from_json(StoredTarget{m, 4.5, {{"baseline", 4.2}}, std::nullopt}.to_json());
  CHECK(back.baseline_now == 4.5);
  CHECK(back.fills.at("baseline") == 4.2);
  CHECK(back.model.intercept == Approx(m.intercept));
}

TEST_CASE("an unknown followers count or baseline takes the training mean, beside its indicator") {
  FeatureMap first = features_of({"x", "sleep", "coach", "", 9, 1, 24, std::nullopt});
  CHECK(first.count("followers_unknown"));
  CHECK(first.count("baseline_unknown"));
  CHECK_FALSE(first.count("log_followers"));
  fill_unknown(first, {{"log_followers", 8.5}, {"baseline", 3.0}});
  CHECK(first.at("log_followers") == 8.5);
  CHECK(first.at("baseline") == 3.0);
  // A known value is kept.
  FeatureMap known = features_of({"x", "sleep", "coach", "", 9, 1, 24, 1000.0}, 2.0);
  fill_unknown(known, {{"log_followers", 8.5}, {"baseline", 3.0}});
  CHECK(known.at("log_followers") == Approx(std::log1p(1000.0)));
  CHECK(known.at("baseline") == 2.0);
  // Trained: the first post (no baseline yet) got the mean of the others' baselines.
  const auto ms = train_predictor(posts(
      30, [](int i) { return 10 + i; }, [](int) { return -1; }));
  const auto& likes = target(ms, Target::kLogLikes);
  REQUIRE(likes.fit);
  REQUIRE(likes.fills.count("baseline"));
  CHECK(likes.fills.at("baseline") > std::log1p(10.0));
  CHECK_FALSE(likes.fills.count("log_followers"));  // never known: nothing to fill with
}

TEST_CASE("a penalty is reused until 10% more posts (at least 10) arrived since it was chosen") {
  CHECK(penalty_current({1, 1, 5000, 0}, 5000, 499));
  CHECK_FALSE(penalty_current({1, 1, 5000, 0}, 5000, 500));
  CHECK(penalty_current({1, 1, 40, 0}, 49, 9));
  CHECK_FALSE(penalty_current({1, 1, 40, 0}, 50, 10));
  CHECK(penalty_current({1, 1, 40, 0}, 39, 0));        // a young post took an old one's place
  CHECK_FALSE(penalty_current({1, 1, 40, 0}, 30, 0));  // 10 posts deleted
  CHECK_FALSE(penalty_current({1, 1, 5000, 0}, 4500, 0));

  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(0, 0.3);
  std::vector<long long> views;
  for (int i = 0; i < 240; ++i)
    views.push_back(static_cast<long long>(500 * (1 + i % 3) * std::exp(noise(rng))));
  const auto history = [&](int n) {
    return posts(
        n, [](int) { return 20; }, [&](int i) { return views[static_cast<size_t>(i)]; });
  };
  const auto first = target(train_predictor(history(200)), Target::kLogViews);
  REQUIRE(first.fit);
  CHECK_FALSE(first.fit->penalty_reused);
  const Penalty chosen = first.fit->penalty;
  CHECK(chosen.samples == 200);
  CHECK(chosen.through == 3600.0 * 199);

  // 19 new posts: the penalty holds, and the model is the one a training that
  // chooses its penalty afresh gives whenever it chooses the same.
  const auto reused =
      target(train_predictor(history(219), {{Target::kLogViews, chosen}}), Target::kLogViews);
  const auto fresh = target(train_predictor(history(219)), Target::kLogViews);
  REQUIRE(reused.fit);
  REQUIRE(fresh.fit);
  CHECK(reused.fit->penalty_reused);
  CHECK(reused.fit->penalty.samples == 200);
  CHECK(reused.fit->penalty.through == chosen.through);
  REQUIRE(fresh.fit->penalty.all == chosen.all);
  REQUIRE(fresh.fit->penalty.holdout == chosen.holdout);
  CHECK(reused.fit->model.names == fresh.fit->model.names);
  CHECK(reused.fit->model.weights == fresh.fit->model.weights);
  CHECK(reused.fit->model.intercept == fresh.fit->model.intercept);
  CHECK(reused.fit->holdout_rmse == fresh.fit->holdout_rmse);
  // A stored penalty is what the training uses, whatever it is.
  const Penalty odd{0.1, 300, 200, chosen.through};
  const auto forced =
      target(train_predictor(history(219), {{Target::kLogViews, odd}}), Target::kLogViews);
  REQUIRE(forced.fit);
  CHECK(forced.fit->model.lambda == 300);
  CHECK(forced.fit->penalty_reused);
  CHECK(forced.fit->model.weights != reused.fit->model.weights);
  // 20 new posts: chosen again, on all 220.
  const auto again =
      target(train_predictor(history(220), {{Target::kLogViews, chosen}}), Target::kLogViews);
  REQUIRE(again.fit);
  CHECK_FALSE(again.fit->penalty_reused);
  CHECK(again.fit->penalty.samples == 220);
  CHECK(again.fit->penalty.through == 3600.0 * 219);
}

TEST_CASE("a model no better than the mean seldom beats it on a few held-out posts") {
  // The target is noise and so are the features: any held-out gain is luck.
  int beats = 0, lower_error = 0;
  for (int seed = 0; seed < 200; ++seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0, 1);
    std::vector<Sample> samples(kMinSamples);
    for (Sample& s : samples) {
      s.x = {{"a", noise(rng)}, {"b", noise(rng)}, {"c", noise(rng)}};
      s.y = noise(rng);
    }
    const auto r = train_ridge(samples);
    REQUIRE(r);
    REQUIRE(r->holdout_samples == kMinHoldoutSamples);
    beats += r->beats_mean() ? 1 : 0;
    lower_error += r->holdout_rmse < r->baseline_rmse ? 1 : 0;
  }
  // 16 of 200 (the test's 5%, and the noise of a standard error of 5 values);
  // lower error alone, the rule before, 78.
  CHECK(beats <= 20);
  CHECK(lower_error > 2 * beats);
}

TEST_CASE("each target trains on the feature maps of its posts, as a ridge fit of those gives") {
  // Posts of every kind of feature: texts, topics, personas, formulas, hours,
  // followers known or not, counts reported or not.
  std::mt19937 rng(11);
  const std::vector<std::string> texts = {
      "Why does sleep matter? Reply below.", "3 ways to focus:\n1. Walk\n2. Read\n3. Rest",
      "Most people get strength wrong. Follow for more.", "I tried 30 days of better nutrition"};
  std::vector<PredictorPost> ps;
  for (int i = 0; i < 120; ++i) {
    PredictorPost p;
    p.features = {texts[i % 4],
                  i % 3 ? "Sleep" : "focus",
                  i % 5 ? "coach" : "dataNerd",
                  i % 4 ? "" : "Question + Explanation",
                  static_cast<int>(rng() % 24),
                  i % 7,
                  static_cast<double>(rng() % 48),
                  i % 6 ? std::optional<double>(1000.0 + 10 * i) : std::nullopt};
    p.counts.impressions = 200 + static_cast<long long>(rng() % 5000);
    if (i % 9) p.counts.likes = 5 + static_cast<long long>(rng() % 200);
    p.counts.retweets = static_cast<long long>(rng() % 20);
    if (i % 4) p.counts.replies = static_cast<long long>(rng() % 20);
    p.posted_at = 3600.0 * i;
    ps.push_back(p);
  }
  const auto models = train_predictor(ps);
  for (Target t : kTargets) {
    INFO(target_name(t));
    std::vector<Sample> samples;
    std::vector<double> previous;
    for (const auto& p : ps) {
      const auto y = target_value(p.counts, t);
      if (!y) continue;
      samples.push_back({features_of(p.features, recent_baseline(previous)), *y});
      previous.push_back(*y);
    }
    std::map<std::string, double> fills;
    for (const std::string name : {"log_followers", "baseline"}) {
      double sum = 0;
      int n = 0;
      for (const auto& s : samples) {
        if (!s.x.count(name)) continue;
        sum += s.x.at(name);
        ++n;
      }
      if (n > 0) fills[name] = sum / n;
    }
    for (auto& s : samples) fill_unknown(s.x, fills);
    const auto expected = train_ridge(samples);
    const TargetModel& m = target(models, t);
    CHECK(m.known == static_cast<int>(samples.size()));
    CHECK(m.fills == fills);
    REQUIRE(expected);
    REQUIRE(m.fit);
    CHECK(m.fit->model.names == expected->model.names);
    CHECK(m.fit->model.weights == expected->model.weights);
    CHECK(m.fit->model.intercept == expected->model.intercept);
    CHECK(m.fit->penalty.holdout == expected->penalty.holdout);
    CHECK(m.fit->penalty.all == expected->penalty.all);
    CHECK(m.fit->holdout_rmse == expected->holdout_rmse);
    CHECK(m.fit->holdout_gain == expected->holdout_gain);
  }
}
