// The policies that choose each family on its own (random, epsilon-greedy):
// the whole plan's probability is exactly the product of the families'.
#include <functional>

#include "plan/choice.h"
#include "plan/planner.h"

namespace gl::plan {

namespace {

using FamilyDistribution =
    std::function<Distribution(const learn::ArmPosteriors& arms, const std::vector<std::string>&)>;

Plan choose_per_family(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng,
                       const FamilyDistribution& distribution) {
  const Candidates c = candidates(in, o);
  const TopicRule rule = trending_rule(c, o.trending_probability, rng);
  FamilyChoice topic =
      rule.trending ? trending_choice(rule)
                    : within_branch(sample(distribution(in.topic_arms, c.topics), rng), rule);
  FamilyChoice hook = sample(distribution(in.hook_arms, c.hooks), rng);
  FamilyChoice persona = sample(distribution(in.generator_arms, c.personas), rng);
  // The hour among the topic's hours off cooldown: its probability is given the topic.
  FamilyChoice hour = sample(distribution(in.hour_arms, c.hours.at(topic.chosen).hours), rng);
  const double p = topic.p * hook.p * persona.p * hour.p;
  Plan plan =
      assemble(c, rule, std::move(topic), std::move(hook), std::move(persona), std::move(hour));
  plan.whole = {p, 0, "exact"};
  plan.rationale["policy"] = policy_name(o.policy);
  return plan;
}

}  // namespace

Plan choose_random(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng) {
  return choose_per_family(
      in, o, rng, [](const learn::ArmPosteriors&, const auto& keys) { return uniform(keys); });
}

Plan choose_epsilon(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng) {
  Plan plan =
      choose_per_family(in, o, rng, [&](const learn::ArmPosteriors& arms, const auto& keys) {
        return epsilon_greedy(arms, keys, o.epsilon);
      });
  if (auto f = choose_formula(in, plan.persona, plan.hook, rng)) {
    plan.formula = f->chosen;
    plan.probabilities["formula"] = std::move(*f);
  }
  return plan;
}

}  // namespace gl::plan
