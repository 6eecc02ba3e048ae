#include "learn/bandit.h"

#include <algorithm>
#include <cmath>

namespace gl::learn {

double decay_weight(double age_days, const BanditConfig& c) {
  return std::pow(0.5, std::max(0.0, age_days) / c.half_life_days);
}

ArmPosteriors arm_posteriors(const std::vector<BanditArm>& arms, const BanditConfig& c) {
  ArmPosteriors out;
  double w = 0, s = 0, ss = 0;
  for (const auto& a : arms) {
    w += a.weight;
    s += a.reward_sum;
    ss += a.reward_sq_sum;
  }
  if (w > 0) out.prior_mean = s / w;
  // Pooled within-arm variance; a floor keeps early posteriors from collapsing.
  double within = 0;
  for (const auto& a : arms) {
    if (a.weight <= 0) continue;
    const double m = a.reward_sum / a.weight;
    within += std::max(0.0, a.reward_sq_sum - a.weight * m * m);
  }
  out.noise_var =
      w > 1 ? std::max(0.05, within / std::max(1.0, w - static_cast<double>(arms.size()))) : 1.0;
  for (const auto& a : arms) {
    out.by_key[a.key] =
        normal_posterior(a.reward_sum, a.weight, out.prior_mean, out.noise_var, c.prior_weight);
  }
  return out;
}

namespace {
NormalPosterior posterior_of(const ArmPosteriors& p, const std::string& key) {
  auto it = p.by_key.find(key);
  if (it != p.by_key.end()) return it->second;
  return normal_posterior(0, 0, p.prior_mean, p.noise_var, kPriorWeight);
}
}  // namespace

std::string thompson_choice(const ArmPosteriors& p, const std::vector<std::string>& candidates,
                            std::mt19937_64& rng) {
  std::normal_distribution<double> z(0, 1);
  std::string best;
  double best_draw = -1e300;
  for (const auto& key : candidates) {
    const NormalPosterior post = posterior_of(p, key);
    const double draw = post.mean + post.sd * z(rng);
    if (draw > best_draw) {
      best_draw = draw;
      best = key;
    }
  }
  return best;
}

std::map<std::string, double> choice_probabilities(const ArmPosteriors& p,
                                                   const std::vector<std::string>& candidates,
                                                   std::mt19937_64& rng, int draws) {
  std::map<std::string, double> out;
  for (const auto& k : candidates) out[k] = 0;
  if (candidates.empty()) return out;
  for (int i = 0; i < draws; ++i) out[thompson_choice(p, candidates, rng)] += 1.0 / draws;
  return out;
}

}  // namespace gl::learn
