// Known answers for the pooled prior (learn/pooled_prior.h) and for the reward
// model fitted toward a prior mean (learn::RewardModel::fit's prior_means).
#include "learn/pooled_prior.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <random>

#include "learn/reward_model.h"

using namespace gl::learn;

namespace {

// Posts of one topic at hour 12, half with hook=question (its effect `question`), noise sd 0.3.
std::vector<WeightedSample> posts(int n, double question, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 0.3);
  std::vector<WeightedSample> out;
  for (int i = 0; i < n; ++i) {
    const bool q = i % 2 == 0;
    out.push_back({choice_features("sleep", q ? "question" : "statement", "coach", 12),
                   2.0 + (q ? question : 0) + noise(rng), 1});
  }
  return out;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("a prior mean of 0 fits bit for bit as no prior mean") {
  const auto samples = posts(60, 0.4, 1);
  std::map<std::string, double> zeros;
  for (const auto& s : samples) {
    for (const auto& [name, v] : s.x) zeros[name] = 0;
  }
  zeros["hook=never"] = 0;
  const RewardModel plain = RewardModel::fit(samples);
  const RewardModel zero = RewardModel::fit(samples, std::nullopt, zeros);
  CHECK(same_bits(plain.intercept(), zero.intercept()));
  CHECK(same_bits(plain.noise_var(), zero.noise_var()));
  for (const std::string name :
       {"hook=question", "hook=statement", "hour=12", "hour=3", "topic=sleep", "hook=never"}) {
    CHECK(same_bits(plain.mean_coefficient(name), zero.mean_coefficient(name)));
    CHECK(same_bits(plain.evidence(name).sd, zero.evidence(name).sd));
    CHECK(same_bits(plain.lambda(name), zero.lambda(name)));
  }
  std::mt19937_64 a(7), b(7);
  auto da = plain.draw(a), db = zero.draw(b);
  for (const std::string name : {"hook=question", "hour=12", "hook=never", "topic=other"})
    CHECK(same_bits(da.coefficient(name), db.coefficient(name)));
}

TEST_CASE("an unseen feature's posterior is its prior mean, with the prior's width") {
  const auto samples = posts(60, 0.0, 2);
  const RewardModel m = RewardModel::fit(samples, 3.0, {{"hook=list", 0.5}});
  CHECK(m.mean_coefficient("hook=list") == 0.5);
  CHECK(m.evidence("hook=list").effect == 0.5);
  CHECK(m.evidence("hook=list").posts == 0);
  // Draws centre on it, by draw() and by NamedDraws.
  std::mt19937_64 rng(3);
  double sum = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) sum += m.draw(rng).coefficient("hook=list");
  const double sd = m.evidence("hook=list").sd;
  CHECK(sum / n == Approx(0.5).margin(4 * sd / std::sqrt(n)));
  const RewardModel::NamedDraws named(m, {"hook=list"});
  std::vector<double> out;
  sum = 0;
  for (int i = 0; i < n; ++i) {
    named.draw(rng, 1, out);
    sum += out[0];
  }
  CHECK(sum / n == Approx(0.5).margin(4 * sd / std::sqrt(n)));
}

TEST_CASE("a prior mean holds when the account's posts agree and fades as they disagree") {
  // The pool says questions earn +0.5 over statements.
  const std::map<std::string, double> prior = {{"hook=question", 0.5}};
  const auto diff = [](const RewardModel& m) {
    return m.mean_coefficient("hook=question") - m.mean_coefficient("hook=statement");
  };
  // Posts that agree keep it (the intercept does not absorb it).
  CHECK(diff(RewardModel::fit(posts(400, 0.5, 4), 3.0, prior)) == Approx(0.5).margin(0.1));
  // Posts that disagree (questions earn 0.5 less): few leave the estimate between the prior and
  // the truth; many take it to the truth, as without the prior.
  const double few = diff(RewardModel::fit(posts(6, -0.5, 5), 3.0, prior));
  const double many = diff(RewardModel::fit(posts(2000, -0.5, 6), 3.0, prior));
  const double many_plain = diff(RewardModel::fit(posts(2000, -0.5, 6), 3.0));
  CHECK(few > -0.2);
  CHECK(few > many + 0.3);
  CHECK(many == Approx(-0.5).margin(0.06));
  CHECK(many == Approx(many_plain).margin(0.01));
  // Without posts the difference is the prior's.
  CHECK(diff(RewardModel::fit({}, 3.0, prior)) == 0.5);
}

TEST_CASE("accounts that agree pool to their effect, accounts that disagree to near 0") {
  const auto row = [](long long a, double effect, double sd) {
    return AccountEffect{a, "hook=question", 50, effect, sd, 0.3};
  };
  const PooledPrior agree =
      pool_effects({row(1, 0.4, 0.05), row(2, 0.42, 0.05), row(3, 0.38, 0.05)});
  CHECK(agree.accounts == 3);
  const PooledEffect& a = agree.effects.at("hook=question");
  CHECK(a.accounts == 3);
  CHECK(a.spread == 0);
  CHECK(a.population == Approx(0.4).margin(1e-9));
  // v = 0.09, se^2 = 0.0025 / 3: m = 0.4 * 0.09 / (0.09 + 0.00083).
  CHECK(a.mean == Approx(0.4 * 0.09 / (0.09 + 0.0025 / 3)));
  const PooledPrior disagree =
      pool_effects({row(1, 0.6, 0.05), row(2, -0.6, 0.05), row(3, 0.5, 0.05), row(4, -0.4, 0.05)});
  const PooledEffect& d = disagree.effects.at("hook=question");
  CHECK(d.spread > 0.4);
  CHECK(std::abs(d.mean) < 0.1 * std::abs(d.population) + 0.02);
  CHECK(std::abs(d.mean) < 0.05);
  // One account: its effect, shrunk by more than half (the spread cannot be measured, so it is
  // taken as v = 0.09, and se^2 = 0.0025 + 0.09).
  const PooledEffect& one = pool_effects({row(1, 0.4, 0.05)}).effects.at("hook=question");
  CHECK(one.mean == Approx(0.4 * 0.09 / (0.09 + 0.09 + 0.0925)));
  CHECK(one.mean < 0.2);
  // An imprecise account counts less: the precise one decides the population's effect.
  const PooledEffect& mixed =
      pool_effects({row(1, 0.4, 0.02), row(2, 0.0, 0.5)}).effects.at("hook=question");
  CHECK(mixed.spread == 0);
  CHECK(mixed.population == Approx(0.4 * 2500 / 2504).margin(1e-9));
}

TEST_CASE("pooling skips rows without posts and ranks the strongest effects") {
  const PooledPrior p = pool_effects({{1, "hook=a", 0, 0.9, 0.1, 0.3},
                                      {2, "hook=b", 20, -0.3, 0.05, 0.3},
                                      {2, "hour=9", 20, 0.1, 0.05, 0.3},
                                      {3, "hook=b", 20, -0.3, 0.05, 0.3}});
  CHECK(p.accounts == 2);
  CHECK(p.effects.count("hook=a") == 0);
  const auto top = p.strongest(1);
  REQUIRE(top.size() == 1);
  CHECK(top[0].first == "hook=b");
  CHECK(p.means().at("hour=9") > 0);
}
