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
  // An arm of one post says nothing of the noise: when the arms leave fewer
  // than kMinEvidencePosts degrees of freedom (most arms of one post, as
  // weekday x hour slots are), the variance of all the rewards is used, which
  // the within-arm variance cannot exceed in expectation. Otherwise a few
  // arms of two close posts made every one-post arm look certain.
  double within = 0, arms_seen = 0;
  for (const auto& a : arms) {
    if (a.weight <= 0) continue;
    arms_seen += 1;
    const double m = a.reward_sum / a.weight;
    within += std::max(0.0, a.reward_sq_sum - a.weight * m * m);
  }
  const double df = w - arms_seen;
  if (w <= 1) {
    out.noise_var = 1.0;
  } else if (df >= static_cast<double>(kMinEvidencePosts)) {
    out.noise_var = std::max(0.05, within / df);
  } else {
    out.noise_var =
        std::max(0.05, std::max(0.0, ss - w * out.prior_mean * out.prior_mean) / (w - 1));
  }
  for (const auto& a : arms) {
    out.by_key[a.key] =
        normal_posterior(a.reward_sum, a.weight, out.prior_mean, out.noise_var, c.prior_weight);
  }
  return out;
}

}  // namespace gl::learn
