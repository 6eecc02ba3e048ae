// publish: posts this account's queued posts whose time has come, and never
// posts one twice. A post is marked `posting` in a committed transaction
// before the call; after an uncertain outcome (timeout, crash) the account's
// recent tweets are searched for it before it may be tried again.
#pragma once

#include <chrono>

#include "db/job_run.h"

namespace gl::jobs {

struct PublishOptions {
  int limit = 5;  // most posts to publish in one run
  // A post left `posting` this long and not found on the timeline is queued again.
  std::chrono::minutes requeue_after{15};
  // A queued post this late (publish did not run: an outage, a stopped cron)
  // has missed its slot: it fails instead of going out in a burst with the
  // others, at an hour the plan did not choose. plan-post's slots are whole
  // hours, so its hour has passed.
  std::chrono::minutes max_late{60};
};

int publish(db::AccountRun& run, const PublishOptions& options);

// The account_ids a publish run would do something for at $1 (a post due, or
// one left `posting` to reconcile): --all-accounts runs only these.
std::string publish_due_accounts_sql();

}  // namespace gl::jobs
