// What a plan decides, and the options that steer it: topic, hook, persona,
// posting slot and formula, each with the probability it had of being chosen,
// and the probability of the whole plan (for off-policy evaluation).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "core/clock.h"

namespace gl::plan {

enum class Policy {
  kThompson,  // learning: Thompson sampling on the joint reward model's posterior
  kRandom,    // learning off: uniform choices
  kEpsilon,   // epsilon-greedy on each family's posterior means (bandit arms)
  kOracle,    // the best plan by a scorer the caller passes in (x-sandbox's truth; benchmarks)
};

bool parse_policy(const std::string& name, Policy& out);
const char* policy_name(Policy p);

struct PlanOptions {
  Policy policy = Policy::kThompson;
  double epsilon = 0.2;  // for the epsilon policy
  // Spread of Thompson draws relative to the posterior. Full-width draws spend a
  // month's ~90 posts on near-ties; 0.3 measured best on the sandbox (bench/).
  double exploration = 0.3;
  // Posterior draws behind a Thompson plan: the share of draws that pick a
  // plan estimates its probability (400 draws: +-0.025 at worst).
  int thompson_draws = 400;
  double trending_probability = 0.35;  // the seed's rule
  // A user's floor: a topic used this recently is not chosen again. Low by
  // default: how much repeating a topic costs is learned (repetition features).
  double topic_cooldown_hours = 4;
  double min_spacing_hours = 4;  // between two posts
  int daily_cap = 3;             // posts per local day
  int max_draft_attempts = 5;    // then the plan fails and nothing is queued
  // Hooks left out of the candidates (plan-post: those whose drafts all read
  // as recent posts, for the plan chosen again without them).
  std::set<std::string> excluded_hooks;
};

using Distribution = std::map<std::string, double>;

// One family's choice: the key, its probability, and every candidate's.
struct FamilyChoice {
  std::string chosen;
  double p = 0;
  Distribution distribution;
};

// The probability of the whole plan (topic, hook, persona and hour together):
// exact for policies that choose each family independently, estimated from
// the posterior draws for Thompson.
struct PlanProbability {
  double p = 0;
  int draws = 0;  // 0 when exact
  const char* method = "exact";
};

struct Plan {
  std::string topic;
  bool trending = false;  // the topic came from the trending rule
  std::string hook;       // learn::hook_name
  std::string persona;    // generator name
  int hour = 0;           // local hour of the slot
  TimePoint slot;
  std::optional<std::string> formula;  // formula key
  std::string text;                    // a draft the chooser already wrote (the oracle's)
  // By family: "topic", "hook", "generator", "hour", and "formula" when there is one.
  std::map<std::string, FamilyChoice> probabilities;
  PlanProbability whole;
  nlohmann::json rationale = nlohmann::json::object();
};

// content_metadata.choice_probabilities: per family {"chosen", "p", "distribution"}
// (the topic also "trending"), and "plan": {"p", "method", "draws" (Thompson)}.
nlohmann::json probabilities_json(const Plan& plan);

}  // namespace gl::plan
