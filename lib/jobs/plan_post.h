// plan-post: plans the account's next post(s): persona, topic, viral formula,
// posting slot and text, each chosen from what was learned, and queues them in
// content_metadata with the probabilities that led to each choice.
#pragma once

#include "db/job_run.h"
#include "plan/plan.h"

namespace gl::jobs {

struct PlanPostOptions {
  int count = 1;                // posts to plan
  int fill_to = 0;              // or: plan until this many are queued ahead
  unsigned long long seed = 0;  // 0 = random
  // --exploration auto: Thompson's spread from the latest evaluation (within
  // 7 days), starting from the spread the account's last plan used, else
  // plan.exploration; a spread replaces it only when its interval clears it.
  bool auto_exploration = false;
  plan::PlanOptions plan;
};

int plan_post(db::AccountRun& run, const PlanPostOptions& options);

// The account_ids with fewer than `fill_to` posts queued ahead of $1: with
// --fill-to, --all-accounts runs only these (a full queue plans nothing).
std::string plan_due_accounts_sql(int fill_to);

}  // namespace gl::jobs
