// The planner: one chooser per policy, all with one signature, each returning
// a Plan with the probability of every choice and of the whole plan. Pure: it
// reads PlanInputs and draws from the rng it is given; no SQL, no HTTP.
#pragma once

#include <random>

#include "plan/inputs.h"
#include "plan/plan.h"

namespace gl::plan {

// Dispatches on options.policy.
Plan choose_plan(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng);

// Thompson sampling on the joint reward model: each posterior draw scores
// every candidate plan (topic x hook x persona x hour) and names its best; the
// plan follows one draw, and the share of draws behind a plan (or a family's
// choice) is its probability, with a 1% uniform floor over all plans.
Plan choose_thompson(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng);

// Epsilon-greedy on each family's bandit arms, chosen independently, then a
// formula with the chosen hook.
Plan choose_epsilon(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng);

// Learning off: every family uniform, no formula.
Plan choose_random(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng);

// The best topic and hook by in.oracle_score on an offline draft, then that
// draft's best slot; a persona that writes in the hook. Without a scorer it is
// a usage error (only x-sandbox has a truth to score with).
Plan choose_oracle(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng);

}  // namespace gl::plan
