// Thompson sampling over arms (topics, hours, tags, generators, formulas) with
// Normal posteriors on the reward whose evidence decays with age, so the
// policy follows an audience whose taste drifts.
#pragma once

#include <map>
#include <random>
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

// One Thompson draw among the candidate keys (unseen keys get the prior).
std::string thompson_choice(const ArmPosteriors& p, const std::vector<std::string>& candidates,
                            std::mt19937_64& rng);

// P(each candidate is chosen) by Monte Carlo over `draws` Thompson draws:
// what is logged with every plan for off-policy evaluation.
std::map<std::string, double> choice_probabilities(const ArmPosteriors& p,
                                                   const std::vector<std::string>& candidates,
                                                   std::mt19937_64& rng, int draws = 2000);

}  // namespace gl::learn
