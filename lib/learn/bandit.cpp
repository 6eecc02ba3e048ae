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

}  // namespace gl::learn
