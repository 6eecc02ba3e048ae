// The target policies evaluate compares, defined on a logged context: the
// candidates each family had when the post was planned, as its
// choice_probabilities recorded them (topics, hooks, personas, hours). A
// target policy is the policy as the CURRENT posterior defines it, applied to
// the contexts that were logged. Pure: no SQL, no HTTP.
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "learn/feature_map.h"
#include "learn/reward_model.h"

namespace gl::jobs {

// A plan as evaluate sees it: topic, hook, persona (generator) and local hour.
struct PlanChoice {
  std::string topic, hook, persona;
  int hour = 0;
};

// One logged post's context and its logged plan.
struct LoggedContext {
  std::vector<std::string> topics, hooks, personas;
  std::vector<int> hours;
  // The probability of the trending rule's branch the plan was in (the topic
  // distribution's total): target policies keep the seed's trending rule.
  double p_branch = 1;
  PlanChoice logged;
  double logged_p = 0;      // choice_probabilities.plan.p
  learn::FeatureMap state;  // the post's own covariates for the direct model (maturity)
};

// Reads a context from content_metadata.choice_probabilities; nothing when
// the row lacks the whole plan's probability (older rows) or a family.
std::optional<LoggedContext> logged_context(const nlohmann::json& choice_probabilities);

enum class PolicyKind { kLogged, kRandom, kEpsilon, kGreedy, kThompson, kFixed };

struct TargetPolicy {
  std::string spec;  // as given: "epsilon:0.2"
  PolicyKind kind = PolicyKind::kLogged;
  double epsilon = 0.2;      // epsilon
  double exploration = 0.3;  // thompson: spread of the draws (plan-post's --exploration)
  std::map<std::string, std::string>
      fixed;  // fixed: family ("topic", "hook", "persona", "hour") -> key
};

// "logged", "random", "epsilon[:E]", "greedy", "thompson[:SCALE]",
// "fixed:topic=sleep,hour=9[,hook=...][,persona=...]"; a usage error otherwise.
TargetPolicy parse_target_policy(const std::string& spec, double default_exploration);

// The current posterior as the policies use it: its mean (greedy, epsilon and
// the direct model) and a fixed set of draws (Thompson).
class PolicyModel {
 public:
  PolicyModel(const learn::RewardModel& model, int draws, std::uint64_t seed);
  double mean(const learn::FeatureMap& x) const;  // intercept + mean coefficients
  const learn::RewardModel& model() const { return model_; }
  int draws() const { return draws_; }
  // The coefficients of draw d at a spread, for these names.
  std::vector<double> draw(int d, double scale, const std::vector<std::string>& names) const;

 private:
  const learn::RewardModel& model_;
  int draws_;
  std::uint64_t seed_;
};

// A target policy's distribution over the plans of one context (every topic x
// hook x persona x hour), within the logged trending branch.
class ContextPolicy {
 public:
  ContextPolicy(const LoggedContext& c, const TargetPolicy& p, const PolicyModel& m);

  // P(the logged plan) under the target, with the logged branch's probability.
  double logged_plan_p() const;
  // A direct model's reward averaged over the target's plans, and of the logged plan.
  double model_value(const learn::RewardModel& direct) const;
  double model_logged(const learn::RewardModel& direct) const;

  size_t plans() const { return probs_.size(); }
  PlanChoice plan(size_t i) const;
  double p(size_t i) const { return probs_[i]; }
  // n plans drawn from the target (for scoring its truth).
  std::vector<PlanChoice> sample(int n, std::mt19937_64& rng) const;

 private:
  size_t index(size_t t, size_t h, size_t p, size_t r) const;
  std::optional<size_t> index_of(const PlanChoice& c) const;

  std::vector<double> scores(const std::vector<double>& coefficients) const;
  std::vector<double> mean_scores(const learn::RewardModel& model) const;

  LoggedContext c_;
  const PolicyModel& m_;
  std::vector<double> probs_;
  std::vector<double> means_;  // the posterior mean's reward of each plan
  // Each plan's choice features against one list of names.
  std::vector<std::string> names_;
  std::vector<size_t> offsets_ = {0};
  std::vector<std::pair<size_t, double>> entries_;
};

}  // namespace gl::jobs
