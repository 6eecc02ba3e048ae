// Choosing among arms for a plan, by policy, with the probability of every
// choice (logged with the post for off-policy evaluation).
#pragma once

#include <map>
#include <random>
#include <string>
#include <vector>

#include "learn/bandit.h"

namespace gl::plan {

enum class Policy {
  kThompson,  // learning: Thompson sampling over the arms' posteriors
  kRandom,    // learning off: uniform choices
  kEpsilon,   // epsilon-greedy on the posterior means
  kOracle,    // the sandbox's ground truth (benchmarks only)
};

bool parse_policy(const std::string& name, Policy& out);
const char* policy_name(Policy p);

struct Choice {
  std::string key;
  double probability = 0;
  std::map<std::string, double> distribution;
};

// Chooses among candidates (non-empty). Thompson's distribution is estimated
// from draws, and the choice is drawn from that same distribution.
Choice choose(const learn::ArmPosteriors& arms, const std::vector<std::string>& candidates,
              Policy policy, double epsilon, std::mt19937_64& rng);

// The topic: with probability p_trending the best fresh trending topic (when
// there is one), else the topic bandit's choice among the candidates.
struct TopicChoice {
  Choice choice;
  bool trending = false;
};
TopicChoice choose_topic(const learn::ArmPosteriors& arms, const std::vector<std::string>& topics,
                         const std::vector<std::string>& trending, double p_trending, Policy policy,
                         double epsilon, std::mt19937_64& rng);

// Chooses by weight (formulas: performance x confidence).
Choice choose_weighted(const std::map<std::string, double>& weights, std::mt19937_64& rng);

}  // namespace gl::plan
