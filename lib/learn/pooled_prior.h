// Pooling what the accounts of one database have learned: the prior mean of a
// new account's reward model (learn::RewardModel::fit's prior_means), so that
// it starts from what the population's posts showed rather than from nothing,
// and its own posts take over as they arrive.
//
// Each other account contributes its own posterior (fitted on its own posts
// only, never on a pooled prior, so accounts do not echo each other) of each
// feature it has posts with: effect mu_a, sd s_a, and its prior's sd p_a. Per
// feature, over the A accounts that have it:
//   - the spread between accounts tau^2 (DerSimonian-Laird: the excess of the
//     precision-weighted dispersion over what the sds explain, at least 0);
//     with one account it cannot be measured and is taken as large as the
//     prior's variance (one account's effect is a guess about another's),
//   - the population's effect theta, weighted by 1 / (s_a^2 + tau^2), and its
//     standard error se^2 = 1 / sum of the weights,
//   - the prior mean  m = theta * v / (v + tau^2 + se^2),  v = the mean of p_a^2:
//     the mean of the account's own zero-centred prior N(0, v) combined with the
//     population's prediction N(theta, tau^2 + se^2) for a new account. Where
//     the accounts agree and have many posts, m is close to theta; where they
//     disagree (tau^2 large against v) or have few posts, m is close to 0.
// The prior's variance stays the account's own: the pool moves where a new
// account starts, not how much it explores.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace gl::learn {

// One account's posterior of one feature, as aggregate stores it (reward_effects).
struct AccountEffect {
  long long account_id = 0;
  std::string feature;
  int posts = 0;
  double effect = 0;
  double sd = 0;
  double prior_sd = 0;
};

struct PooledEffect {
  int accounts = 0;
  double population = 0;  // theta
  double spread = 0;      // tau, the sd of the effect between accounts
  double mean = 0;        // m, the prior mean
};

struct PooledPrior {
  int accounts = 0;  // the accounts that contributed
  std::map<std::string, PooledEffect> effects;

  std::map<std::string, double> means() const;
  // The features of the largest |m|, largest first (the plan's rationale).
  std::vector<std::pair<std::string, double>> strongest(size_t n) const;
};

// Pools the rows of the other accounts (rows without posts or with a zero sd are skipped).
PooledPrior pool_effects(const std::vector<AccountEffect>& rows);

}  // namespace gl::learn
