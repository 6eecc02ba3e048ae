// Bandit arms (topics, hours, tags, generators, formulas): Normal posteriors
// on the reward whose evidence decays with age, so they follow an audience
// whose taste drifts. aggregate keeps them; epsilon-greedy plans with them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "learn/stats.h"

namespace gl::learn {

// Sufficient statistics of one arm; weights are decayed counts.
struct BanditArm {
  std::string key;
  long long pulls = 0;
  double weight = 0;
  double reward_sum = 0;
  double reward_sq_sum = 0;
};

struct BanditConfig {
  double half_life_days = 14;  // an observation this old counts half
  double prior_weight = kPriorWeight;
};

// The weight of an observation `age_days` old.
double decay_weight(double age_days, const BanditConfig& c = {});

struct ArmPosteriors {
  double prior_mean = 0;  // the pooled mean reward across arms
  double noise_var = 1;   // pooled within-arm variance
  std::map<std::string, NormalPosterior> by_key;
};

ArmPosteriors arm_posteriors(const std::vector<BanditArm>& arms, const BanditConfig& c = {});

}  // namespace gl::learn
