#include "plan/choice.h"

#include <algorithm>

#include "core/error.h"

namespace gl::plan {

Distribution uniform(const std::vector<std::string>& keys) {
  Distribution d;
  for (const auto& k : keys) d[k] = 1.0 / static_cast<double>(keys.size());
  return d;
}

Distribution epsilon_greedy(const learn::ArmPosteriors& arms, const std::vector<std::string>& keys,
                            double epsilon) {
  const auto mean = [&](const std::string& k) {
    const auto it = arms.by_key.find(k);
    return it == arms.by_key.end() ? arms.prior_mean : it->second.mean;
  };
  double best_mean = -1e300;
  for (const auto& k : keys) best_mean = std::max(best_mean, mean(k));
  // Keys tied on the best mean share the greedy part: with no data every key
  // is tied, and the first listed topic (the account's own order) would
  // otherwise be exploited before anything was learned.
  const auto tied = std::count_if(keys.begin(), keys.end(),
                                  [&](const std::string& k) { return mean(k) == best_mean; });
  Distribution d = uniform(keys);
  for (auto& [k, p] : d) {
    p = epsilon * p + (mean(k) == best_mean ? (1 - epsilon) / static_cast<double>(tied) : 0);
  }
  return d;
}

FamilyChoice sample(const Distribution& weights, std::mt19937_64& rng) {
  if (weights.empty()) throw failure("plan", "a choice among no candidates");
  double total = 0;
  for (const auto& [k, w] : weights) total += std::max(0.0, w);
  FamilyChoice c;
  for (const auto& [k, w] : weights) {
    c.distribution[k] =
        total > 0 ? std::max(0.0, w) / total : 1.0 / static_cast<double>(weights.size());
  }
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  for (const auto& [k, p] : c.distribution) {
    c.chosen = k;
    c.p = p;
    if (u < p) break;
    u -= p;
  }
  return c;
}

TopicRule trending_rule(const Candidates& c, double p_trending, std::mt19937_64& rng) {
  TopicRule r;
  if (c.trending.empty()) return r;
  if (c.topics.empty()) {
    r.trending = true;
    r.topic = c.trending.front();
    return r;
  }
  r.trending = std::uniform_real_distribution<double>(0, 1)(rng) < p_trending;
  if (r.trending) r.topic = c.trending.front();
  r.p_branch = r.trending ? p_trending : 1 - p_trending;
  return r;
}

std::optional<FamilyChoice> choose_formula(const PlanInputs& in, const std::string& persona,
                                           const std::string& hook, std::mt19937_64& rng) {
  Distribution weights;
  const auto own = in.formulas_by_generator.find(persona);
  for (const auto& f : in.formulas) {
    if (f.hook != hook) continue;
    const bool is_own =
        own != in.formulas_by_generator.end() &&
        std::find(own->second.begin(), own->second.end(), f.key) != own->second.end();
    weights[f.key] = (0.05 + f.confidence) * (is_own ? 3 : 1);
  }
  if (weights.empty()) return std::nullopt;
  return sample(weights, rng);
}

FamilyChoice trending_choice(const TopicRule& rule) {
  return {rule.topic, rule.p_branch, {{rule.topic, rule.p_branch}}};
}

FamilyChoice within_branch(FamilyChoice c, const TopicRule& rule) {
  c.p *= rule.p_branch;
  for (auto& [k, p] : c.distribution) p *= rule.p_branch;
  return c;
}

Plan assemble(const Candidates& c, const TopicRule& rule, FamilyChoice topic, FamilyChoice hook,
              FamilyChoice persona, FamilyChoice hour) {
  Plan plan;
  plan.topic = topic.chosen;
  plan.trending = rule.trending;
  plan.hook = hook.chosen;
  plan.persona = persona.chosen;
  plan.hour = std::stoi(hour.chosen);
  plan.slot = c.hours.at(plan.topic).first_slot.at(hour.chosen);
  plan.probabilities["topic"] = std::move(topic);
  plan.probabilities["hook"] = std::move(hook);
  plan.probabilities["generator"] = std::move(persona);
  plan.probabilities["hour"] = std::move(hour);
  return plan;
}

}  // namespace gl::plan
