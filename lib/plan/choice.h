// The pieces every policy shares: sampling a family's choice from a
// distribution, the distributions themselves, the seed's trending rule, the
// formula rule, and putting the choices together into a Plan.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "learn/bandit.h"
#include "plan/candidates.h"
#include "plan/inputs.h"
#include "plan/plan.h"

namespace gl::plan {

Distribution uniform(const std::vector<std::string>& keys);

// 1 - epsilon on the best posterior mean (unseen keys have the prior mean),
// shared evenly by the keys tied on it; epsilon spread evenly over all keys.
Distribution epsilon_greedy(const learn::ArmPosteriors& arms, const std::vector<std::string>& keys,
                            double epsilon);

// Draws a key by weight (weights need not sum to 1; all zero is uniform).
FamilyChoice sample(const Distribution& weights, std::mt19937_64& rng);

// The seed's trending rule: with probability p a fresh trending topic (the
// best one), always when there is no other topic, never when there is none.
// p_branch is the probability of the branch taken, which every probability
// of the plan's topic carries.
struct TopicRule {
  bool trending = false;
  std::string topic;  // when trending
  double p_branch = 1;
};
TopicRule trending_rule(const Candidates& c, double p_trending, std::mt19937_64& rng);

// A learned formula with the chosen hook, by (0.05 + confidence), the
// persona's own three times as likely; nothing when none has the hook.
std::optional<FamilyChoice> choose_formula(const PlanInputs& in, const std::string& persona,
                                           const std::string& hook, std::mt19937_64& rng);

// The topic family when the trending rule chose it.
FamilyChoice trending_choice(const TopicRule& rule);

// Scales a family's probabilities by the trending rule's branch.
FamilyChoice within_branch(FamilyChoice c, const TopicRule& rule);

// A plan from its four family choices: the topic's slot at that hour, the probabilities.
Plan assemble(const Candidates& c, const TopicRule& rule, FamilyChoice topic, FamilyChoice hook,
              FamilyChoice persona, FamilyChoice hour);

}  // namespace gl::plan
