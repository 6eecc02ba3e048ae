// Loading what plan-post's planner reads (plan::PlanInputs) from the database,
// and, for the oracle policy, x-sandbox's scorer through the X client.
#pragma once

#include "core/clock.h"
#include "db/job_run.h"
#include "plan/inputs.h"
#include "plan/plan.h"

namespace gl::jobs {

// Each policy reads only what it chooses with: epsilon-greedy the per-family
// arms, Thompson the joint posterior (refit from the newest metrics), the
// oracle x-sandbox's scores (a usage error against real X).
plan::PlanInputs load_plan_inputs(db::AccountRun& run, TimePoint now, plan::Policy policy);

}  // namespace gl::jobs
