// plan-post: plans the account's next post(s): persona, topic, viral formula,
// posting slot and text, each chosen from what was learned, and queues them in
// content_metadata with the probabilities that led to each choice.
#pragma once

#include <string>

#include "db/job_run.h"
#include "plan/planner.h"

namespace gl::jobs {

struct PlanOptions {
  int count = 1;    // posts to plan
  int fill_to = 0;  // or: plan until this many are queued ahead
  plan::Policy policy = plan::Policy::kThompson;
  double epsilon = 0.2;  // for the epsilon policy
  // Spread of Thompson draws relative to the posterior. Full-width draws spend a
  // month's ~90 posts on near-ties; 0.3 measured best on the sandbox (bench/).
  double exploration = 0.3;
  double trending_probability = 0.35;
  double topic_cooldown_hours = 12;  // a topic used this recently is not chosen again
  double min_spacing_hours = 4;      // between two posts
  int daily_cap = 3;                 // posts per local day
  int max_draft_attempts = 5;
  unsigned long long seed = 0;  // 0 = random
};

int plan_post(db::AccountRun& run, const PlanOptions& options);

}  // namespace gl::jobs
