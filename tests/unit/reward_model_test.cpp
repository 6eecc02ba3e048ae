// Known answers for the planner's joint reward posterior (learn::RewardModel).
#include "learn/reward_model.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "core/clock.h"

using namespace gl::learn;

namespace {

// Rewards from planted effects: every post has one topic and one hook (as
// plans do), so only differences within a family are identified; "numbers"
// is on for about half the posts.
std::vector<WeightedSample> planted(int n, unsigned seed, double noise_sd = 0.3) {
  const std::map<std::string, double> topic = {{"a", 0.5}, {"b", 0.0}, {"c", -0.5}};
  const std::map<std::string, double> hook = {{"question", 0.3}, {"statement", 0.0}};
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, noise_sd);
  std::vector<WeightedSample> out;
  for (int i = 0; i < n; ++i) {
    const auto t = std::next(topic.begin(), static_cast<long>(rng() % 3));
    const auto h = std::next(hook.begin(), static_cast<long>(rng() % 2));
    const bool numbers = rng() % 2 == 0;
    FeatureMap x = {{"topic=" + t->first, 1}, {"hook=" + h->first, 1}};
    if (numbers) x["numbers"] = 1;
    out.push_back({x, 2.0 + t->second + h->second + (numbers ? 0.4 : 0) + noise(rng), 1});
  }
  return out;
}

// The standard deviation over many posterior draws of a coefficient, or of
// the difference of two (within a family only differences are identified:
// shifting every topic up and every hook down fits the data as well).
double draw_sd(const RewardModel& m, const std::string& name, int draws, double scale = 1,
               const std::string& minus = "") {
  std::mt19937_64 rng(99);
  double s = 0, ss = 0;
  for (int i = 0; i < draws; ++i) {
    auto d = m.draw(rng, scale);
    const double v = d.coefficient(name) - (minus.empty() ? 0 : d.coefficient(minus));
    s += v;
    ss += v * v;
  }
  const double mean = s / draws;
  return std::sqrt(ss / draws - mean * mean);
}

}  // namespace

TEST_CASE("the reward model's fit recovers planted coefficients") {
  const RewardModel m = RewardModel::fit(planted(4000, 1), 3.0);
  CHECK(m.samples() == 4000);
  // 4000 posts, noise sd 0.3: each difference has a standard error under 0.015.
  const auto c = [&](const char* name) { return m.mean_coefficient(name); };
  CHECK(c("topic=a") - c("topic=b") == Approx(0.5).margin(0.06));
  CHECK(c("topic=c") - c("topic=b") == Approx(-0.5).margin(0.06));
  CHECK(c("hook=question") - c("hook=statement") == Approx(0.3).margin(0.05));
  CHECK(c("numbers") == Approx(0.4).margin(0.05));
  CHECK(m.noise_var() == Approx(0.09).margin(0.01));
  CHECK(c("never_seen") == 0);
}

TEST_CASE("a posterior draw's spread shrinks with more data") {
  const RewardModel few = RewardModel::fit(planted(30, 2), 3.0);
  const RewardModel many = RewardModel::fit(planted(3000, 2), 3.0);
  // Posterior sd goes as 1/sqrt(posts with the feature): 100x the data, about a tenth.
  for (const auto& [name, minus] : std::vector<std::pair<std::string, std::string>>{
           {"numbers", ""}, {"topic=a", "topic=b"}, {"hook=question", "hook=statement"}}) {
    INFO(name << " - " << minus);
    const double sd_few = draw_sd(few, name, 4000, 1, minus);
    const double sd_many = draw_sd(many, name, 4000, 1, minus);
    CHECK(sd_many < sd_few / 4);
    CHECK(sd_many > 0);
    // --exploration scales the spread.
    CHECK(draw_sd(many, name, 4000, 0.3, minus) == Approx(0.3 * sd_many).epsilon(0.1));
  }
}

TEST_CASE("a feature the model never saw draws from the prior") {
  const RewardModel m = RewardModel::fit(planted(500, 3), 3.0);
  const double prior_sd = std::sqrt(m.noise_var() / 3.0);
  // 8000 draws: the sample sd is within 2% of the truth at 3 sigma.
  CHECK(draw_sd(m, "topic=unseen", 8000) == Approx(prior_sd).epsilon(0.03));
  CHECK(draw_sd(m, "topic=unseen", 8000, 0.3) == Approx(0.3 * prior_sd).epsilon(0.03));
  // A seen feature is narrower than the prior.
  CHECK(draw_sd(m, "numbers", 8000) < prior_sd / 2);
  // Within one draw an unseen name keeps its value.
  std::mt19937_64 rng(4);
  auto d = m.draw(rng);
  const double first = d.coefficient("topic=unseen");
  CHECK(d.coefficient("topic=unseen") == first);
  // Before any data the prior is the default noise (1) over lambda.
  const RewardModel empty = RewardModel::fit({}, 3.0);
  CHECK(draw_sd(empty, "topic=a", 8000) == Approx(std::sqrt(1.0 / 3.0)).epsilon(0.03));
}

TEST_CASE("named draws give the coefficients a draw gives, unseen names from the prior") {
  const RewardModel m = RewardModel::fit(planted(500, 3));
  const std::vector<std::string> names = {"topic=b", "topic=never", "hour=14",
                                          "numbers", "hook=never",  "topic=a"};
  const RewardModel::NamedDraws named(m, names);
  std::mt19937_64 by_name(5), by_draw(5);
  std::vector<double> out;
  for (int i = 0; i < 20; ++i) {
    named.draw(by_name, 0.7, out);
    auto d = m.draw(by_draw, 0.7);
    REQUIRE(out.size() == names.size());
    for (size_t j = 0; j < names.size(); ++j) CHECK(out[j] == d.coefficient(names[j]));
  }
  CHECK(by_name() == by_draw());  // the same random numbers were used
}

TEST_CASE("an hour far from every hour with posts keeps the prior's width; a tried hour narrows") {
  // Hours 8-20 tried, 40 posts each, a bump at 14.
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0, 0.3);
  std::vector<WeightedSample> samples;
  for (int h = 8; h <= 20; ++h) {
    for (int i = 0; i < 40; ++i)
      samples.push_back({choice_features("", "", "", h), 2 + (h == 14 ? 0.6 : 0) + noise(rng), 1});
  }
  const RewardModel m = RewardModel::fit(samples, 3.0);
  const double prior_sd = std::sqrt(m.noise_var() / 3.0);
  const FeatureEvidence night = m.evidence("hour=2");
  const FeatureEvidence noon = m.evidence("hour=14");
  CHECK(night.posts == 0);
  CHECK(noon.posts == 40);
  // 6 h from the nearest tried hour the correlation is e^-2: nearly all the prior's width.
  CHECK(night.sd > 0.9 * prior_sd);
  CHECK(noon.sd < prior_sd / 3);
  CHECK(draw_sd(m, "hour=2", 8000) == Approx(night.sd).epsilon(0.05));
  CHECK(std::abs(night.effect) < 0.3 * prior_sd);
  CHECK(noon.effect > 0.3);
  // A neighbour of tried hours borrows from them: narrower than an hour far away.
  CHECK(m.evidence("hour=7").sd < 0.8 * night.sd);
  CHECK(m.evidence("hour=7").sd > noon.sd);
}

TEST_CASE("a topic that works only in the evening is learned as a topic x daypart interaction") {
  // Topic a earns 0.8 more in the evening (18-23) and nothing more otherwise;
  // b is flat. Hours uniform, 3000 posts, noise sd 0.3.
  const auto posts = [](int n, bool interaction, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0, 0.3);
    std::vector<WeightedSample> out;
    for (int i = 0; i < n; ++i) {
      const bool a = rng() % 2 == 0;
      const int hour = static_cast<int>(rng() % 24);
      const double y = 2 + (interaction && a && hour >= 18 ? 0.8 : 0) + noise(rng);
      out.push_back({choice_features(a ? "a" : "b", "", "", hour), y, 1});
    }
    return out;
  };
  const RewardModel m = RewardModel::fit(posts(3000, true, 7), 3.0);
  // a - b at one hour of each part of the day: the additive part cancels the hour.
  const auto lift = [&](int hour) {
    const auto a = choice_features("a", "", "", hour), b = choice_features("b", "", "", hour);
    double s = 0;
    for (const auto& [k, v] : a) s += m.mean_coefficient(k) * v;
    for (const auto& [k, v] : b) s -= m.mean_coefficient(k) * v;
    return s;
  };
  // ~375 posts per topic and part of the day: each lift's se is about 0.03.
  CHECK(lift(20) == Approx(0.8).margin(0.15));
  CHECK(lift(9) == Approx(0.0).margin(0.15));
  CHECK(lift(14) == Approx(0.0).margin(0.15));
  CHECK(lift(3) == Approx(0.0).margin(0.15));
  CHECK(std::string(daypart_name(18)) == "evening");
  CHECK(std::string(daypart_name(5)) == "night");
  // Without an interaction in the data it costs nothing: the cells stay near 0.
  const RewardModel flat = RewardModel::fit(posts(600, false, 8), 3.0);
  for (const char* cell : {"topic=a|evening", "topic=a|morning", "topic=b|night"})
    CHECK(std::abs(flat.mean_coefficient(cell)) < 0.05);
  // An interaction never seen draws from half a main effect's prior variance.
  const double prior_sd = std::sqrt(flat.noise_var() / 3.0);
  CHECK(draw_sd(flat, "topic=z|evening", 8000) ==
        Approx(std::sqrt(kInteractionPriorShare) * prior_sd).epsilon(0.03));
  CHECK(flat.evidence("topic=z|evening").sd ==
        Approx(std::sqrt(kInteractionPriorShare) * prior_sd));
}

TEST_CASE("without a lambda the prior's width is estimated from the data (empirical Bayes)") {
  // Large planted effects (sd ~0.4 against noise 0.3) call for a wide prior,
  // no effects at all for a narrow one; both within the searched range.
  const auto posts = [](int n, double effect_scale, unsigned seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> noise(0, 0.3);
    std::vector<WeightedSample> out;
    const double topic[] = {0.5, 0.0, -0.5, 0.3, -0.2, 0.1};
    for (int i = 0; i < n; ++i) {
      const int t = static_cast<int>(rng() % 6);
      // A persona the audience never sees: no effect.
      const FeatureMap x = {{"topic=" + std::to_string(t), 1},
                            {"generator=" + std::to_string(rng() % 8), 1}};
      out.push_back({x, 2 + effect_scale * topic[t] + noise(rng), 1});
    }
    return out;
  };
  const RewardModel strong = RewardModel::fit(posts(300, 1.0, 11));
  const RewardModel none = RewardModel::fit(posts(300, 0.0, 11));
  CHECK(strong.lambda("topic") >= kMinLambda);
  CHECK(strong.lambda("topic") < kDefaultLambda);
  CHECK(none.lambda("topic") > 8 * strong.lambda("topic"));
  CHECK(none.lambda("topic=3") <= kMaxLambda);
  // Per family: the personas, which do not matter, get a narrow prior beside the topics.
  CHECK(strong.lambda("generator") > 8 * strong.lambda("topic"));
  CHECK(feature_family("topic=a|evening") == "interaction");
  CHECK(feature_family("numbers") == "wording");
  CHECK(feature_family("hour=7") == "hour");
  // An unseen topic is explored in proportion: far more widely where topics matter.
  CHECK(strong.evidence("topic=unseen").sd > 2 * none.evidence("topic=unseen").sd);
  // The planted effects are still recovered.
  CHECK(strong.mean_coefficient("topic=0") - strong.mean_coefficient("topic=2") ==
        Approx(1.0).margin(0.15));
  // Too few posts to tell: the default prior.
  CHECK(RewardModel::fit(posts(8, 1.0, 12)).lambda("topic") == kDefaultLambda);
  // A fixed lambda is kept.
  CHECK(RewardModel::fit(posts(300, 1.0, 11), 3.0).lambda("topic") == 3.0);
}

TEST_CASE("the noise variance counts the fit's parameters, so few posts do not look certain") {
  // 40 posts, 30 topics: nearly one parameter per post. The residuals alone
  // would say the noise is small; on the residual degrees of freedom it is ~0.09.
  std::mt19937_64 rng(13);
  std::normal_distribution<double> noise(0, 0.3);
  double sum = 0;
  const int fits = 40;
  for (int f = 0; f < fits; ++f) {
    std::vector<WeightedSample> samples;
    for (int i = 0; i < 40; ++i)
      samples.push_back({{{"topic=" + std::to_string(rng() % 30), 1}}, 2 + noise(rng), 1});
    sum += RewardModel::fit(samples, 0.25).noise_var();
  }
  CHECK(sum / fits == Approx(0.09).margin(0.03));
}

TEST_CASE("a hook is scored with the wording it brings") {
  // Question hooks always carry "question", which earns 0.6; ridge splits the
  // credit between the two, so the hook alone would look half as good.
  std::mt19937_64 rng(14);
  std::normal_distribution<double> noise(0, 0.2);
  std::vector<WeightedSample> samples;
  for (int i = 0; i < 400; ++i) {
    const bool q = rng() % 2 == 0;
    FeatureMap x = {{q ? "hook=question" : "hook=statement", 1}};
    if (q) x["question"] = 1;
    if (rng() % 2) x["numbers"] = 1;
    samples.push_back({x, 2 + (q ? 0.6 : 0) + noise(rng), 1});
  }
  const RewardModel m = RewardModel::fit(samples, 3.0);
  const FeatureMap with = m.companions("hook=question");
  CHECK(with.at("question") == 1.0);
  CHECK(with.at("numbers") == Approx(0.5).margin(0.1));
  CHECK(m.companions("hook=statement").count("question") == 0);
  CHECK(m.companions("hook=never").empty());
  const auto lift = [&](const char* hook) {
    double s = m.mean_coefficient(std::string("hook=") + hook);
    for (const auto& [k, v] : m.companions(std::string("hook=") + hook))
      s += m.mean_coefficient(k) * v;
    return s;
  };
  CHECK(m.mean_coefficient("hook=question") - m.mean_coefficient("hook=statement") < 0.45);
  CHECK(lift("question") - lift("statement") == Approx(0.6).margin(0.06));
}

TEST_CASE("repetition features count the same topic and hook in the days before") {
  const gl::TimePoint at = *gl::parse_iso8601("2026-11-10T12:00:00Z");
  const auto h = [&](int hours) { return at - std::chrono::hours(hours); };
  const FeatureMap f =
      repetition_features(at, {h(3), h(20), h(30), h(80), at, at + std::chrono::hours(2)}, {h(50)});
  CHECK(f.at("repeat_topic<24h") == 2);
  CHECK(f.at("repeat_topic24-72h") == 1);
  CHECK(f.count("repeat_hook<24h") == 0);
  CHECK(f.at("repeat_hook24-72h") == 1);
  CHECK(repetition_features(at, {}, {}).empty());
}

TEST_CASE("repetition features of sorted times are those of all the times") {
  const gl::TimePoint at = *gl::parse_iso8601("2026-11-10T12:00:00Z");
  const auto h = [&](int hours) { return at - std::chrono::hours(hours); };
  const std::vector<gl::TimePoint> sorted = {h(200), h(73), h(72) - std::chrono::nanoseconds(1),
                                             h(72),  h(50), h(24) - std::chrono::nanoseconds(1),
                                             h(24),  h(24), h(3),
                                             at,     at,    at + std::chrono::hours(2)};
  const FeatureMap f = sorted_repetition_features(at, sorted, {h(30)});
  CHECK(f.at("repeat_topic<24h") == 3);
  CHECK(f.at("repeat_topic24-72h") == 3);
  CHECK(f.at("repeat_hook24-72h") == 1);
  CHECK(f.size() == 3);
  // At every time from before the first to after the last, in steps of 20
  // minutes and on each time itself: the same features as the full count.
  std::vector<gl::TimePoint> ats(sorted);
  for (gl::TimePoint t = h(300); t < at + std::chrono::hours(80); t += std::chrono::minutes(20))
    ats.push_back(t);
  for (const gl::TimePoint& t : ats) {
    INFO(gl::format_iso8601(t));
    CHECK(sorted_repetition_features(t, sorted, sorted) == repetition_features(t, sorted, sorted));
  }
  CHECK(sorted_repetition_features(at, {}, {}).empty());
}

namespace {

// Two posts a day for `days` days, newest last, from planted topic effects;
// before `turned_days_ago` the topics' effects are reversed (a drift); the
// level of every reward rises by `growth` a day (an account that grows).
std::vector<AgedSample> aged(int days, double turned_days_ago, unsigned seed, double growth = 0) {
  const std::map<std::string, double> topic = {{"a", 0.5}, {"b", 0.0}, {"c", -0.5}};
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.3);
  std::vector<AgedSample> out;
  for (int i = 0; i < 2 * days; ++i) {
    const double age = days - i / 2.0;
    const auto t = std::next(topic.begin(), static_cast<long>(rng() % 3));
    const double effect = age > turned_days_ago ? -t->second : t->second;
    out.push_back({{{"topic=" + t->first, 1}}, 2.0 + effect - growth * age + noise(rng), age});
  }
  return out;
}

}  // namespace

TEST_CASE("the half-life is the one that best predicts the newest posts") {
  // A steady audience: every old post still tells the truth, so a long memory predicts best.
  CHECK(choose_half_life(aged(200, 1e9, 1)) >= 4 * kDefaultHalfLifeDays);
  // An audience that turned 30 days ago: the posts before the turn mislead, so a short memory wins.
  CHECK(choose_half_life(aged(200, 30, 2)) <= kDefaultHalfLifeDays);
  // An account whose every post earns more than the last: the level is not a choice, so the
  // memory stays long.
  CHECK(choose_half_life(aged(200, 1e9, 5, 0.01)) >= 4 * kDefaultHalfLifeDays);
  // Too few posts on either side of the split: the default.
  CHECK(choose_half_life(aged(10, 1e9, 3)) == kDefaultHalfLifeDays);
}
