#include "plan/planner.h"

#include "core/error.h"

namespace gl::plan {

bool parse_policy(const std::string& name, Policy& out) {
  for (Policy p : {Policy::kThompson, Policy::kRandom, Policy::kEpsilon, Policy::kOracle}) {
    if (name == policy_name(p)) {
      out = p;
      return true;
    }
  }
  return false;
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

nlohmann::json probabilities_json(const Plan& plan) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [family, c] : plan.probabilities) {
    out[family] = {{"chosen", c.chosen}, {"p", c.p}, {"distribution", c.distribution}};
  }
  if (out.contains("topic")) out["topic"]["trending"] = plan.trending;
  out["plan"] = {{"p", plan.whole.p}, {"method", plan.whole.method}};
  if (plan.whole.draws > 0) out["plan"]["draws"] = plan.whole.draws;
  return out;
}

Plan choose_plan(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng) {
  switch (o.policy) {
    case Policy::kThompson:
      return choose_thompson(in, o, rng);
    case Policy::kEpsilon:
      return choose_epsilon(in, o, rng);
    case Policy::kRandom:
      return choose_random(in, o, rng);
    case Policy::kOracle:
      return choose_oracle(in, o, rng);
  }
  throw failure("--policy", "unknown policy");
}

}  // namespace gl::plan
