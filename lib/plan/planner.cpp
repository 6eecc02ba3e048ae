#include "plan/planner.h"

#include <algorithm>
#include <stdexcept>

namespace gl::plan {

bool parse_policy(const std::string& name, Policy& out) {
  if (name == "thompson")
    out = Policy::kThompson;
  else if (name == "random")
    out = Policy::kRandom;
  else if (name == "epsilon")
    out = Policy::kEpsilon;
  else if (name == "oracle")
    out = Policy::kOracle;
  else
    return false;
  return true;
}

const char* policy_name(Policy p) {
  switch (p) {
    case Policy::kThompson:
      return "thompson";
    case Policy::kRandom:
      return "random";
    case Policy::kEpsilon:
      return "epsilon";
    case Policy::kOracle:
      return "oracle";
  }
  return "thompson";
}

Choice choose_weighted(const std::map<std::string, double>& weights, std::mt19937_64& rng) {
  if (weights.empty()) throw std::invalid_argument("choose_weighted: no candidates");
  double total = 0;
  for (const auto& [k, w] : weights) total += std::max(0.0, w);
  Choice c;
  for (const auto& [k, w] : weights) {
    c.distribution[k] =
        total > 0 ? std::max(0.0, w) / total : 1.0 / static_cast<double>(weights.size());
  }
  double u = std::uniform_real_distribution<double>(0, 1)(rng);
  for (const auto& [k, p] : c.distribution) {
    c.key = k;
    c.probability = p;
    if (u < p) break;
    u -= p;
  }
  return c;
}

Choice choose(const learn::ArmPosteriors& arms, const std::vector<std::string>& candidates,
              Policy policy, double epsilon, std::mt19937_64& rng) {
  if (candidates.empty()) throw std::invalid_argument("choose: no candidates");
  std::map<std::string, double> dist;
  const double uniform = 1.0 / static_cast<double>(candidates.size());
  switch (policy) {
    case Policy::kRandom:
    case Policy::kOracle:
      for (const auto& k : candidates) dist[k] = uniform;
      break;
    case Policy::kEpsilon: {
      std::string best = candidates.front();
      double best_mean = -1e300;
      for (const auto& k : candidates) {
        auto it = arms.by_key.find(k);
        const double m = it == arms.by_key.end() ? arms.prior_mean : it->second.mean;
        if (m > best_mean) {
          best_mean = m;
          best = k;
        }
      }
      for (const auto& k : candidates) dist[k] = epsilon * uniform + (k == best ? 1 - epsilon : 0);
      break;
    }
    case Policy::kThompson:
      // A 1% uniform floor keeps every candidate possible, so no logged
      // probability is zero (off-policy estimates divide by it).
      dist = learn::choice_probabilities(arms, candidates, rng, 1000);
      for (auto& [k, p] : dist) p = 0.99 * p + 0.01 * uniform;
      break;
  }
  return choose_weighted(dist, rng);
}

TopicChoice choose_topic(const learn::ArmPosteriors& arms, const std::vector<std::string>& topics,
                         const std::vector<std::string>& trending, double p_trending, Policy policy,
                         double epsilon, std::mt19937_64& rng) {
  TopicChoice out;
  const bool can_trend = !trending.empty();
  if (can_trend &&
      (topics.empty() || std::uniform_real_distribution<double>(0, 1)(rng) < p_trending)) {
    out.trending = true;
    out.choice.key = trending.front();
    out.choice.probability = topics.empty() ? 1.0 : p_trending;
    out.choice.distribution[out.choice.key] = out.choice.probability;
    return out;
  }
  out.choice = choose(arms, topics, policy, epsilon, rng);
  if (can_trend) {
    out.choice.probability *= 1 - p_trending;
    for (auto& [k, p] : out.choice.distribution) p *= 1 - p_trending;
  }
  return out;
}

}  // namespace gl::plan
