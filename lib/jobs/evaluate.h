// evaluate: what other policies would have earned on the account's own log,
// by off-policy evaluation (learn/off_policy) of the logged plans' rewards
// against target policies defined by the current posterior (jobs/evaluate_policy).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/job_run.h"

namespace gl::jobs {

struct EvaluateOptions {
  std::vector<std::string> policies = {"logged", "random", "epsilon:0.2", "thompson", "greedy"};
  std::optional<TimePoint> since;  // posts posted from then on
  double exploration = 0.3;        // thompson's default spread (plan-post's)
  // Posterior draws behind each Thompson context: a plan's probability is a
  // share of draws, so its Monte-Carlo sd is sqrt(p (1 - p) / draws).
  int draws = 200;
  double clip = 0;              // 0: no weight clipping
  double min_logged_p = 1e-6;   // support floor on the logged plan's probability
  int bootstrap = 1000;         // resamples per interval
  unsigned long long seed = 1;  // bootstrap and draws
  bool table = false;           // --format table
  // x-sandbox only: the true value of each policy, scoring this many of its
  // plans per logged context through POST /sandbox/score (0: no truth).
  int truth_samples = 0;
};

int evaluate(db::AccountRun& run, const EvaluateOptions& o);

}  // namespace gl::jobs
