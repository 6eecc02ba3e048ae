// evaluate's estimates, kept: stored per run in policy_estimates, read back
// by the report (beside the learning curve) and by plan-post --exploration auto.
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json_lines.h"
#include "learn/off_policy.h"

namespace gl::jobs {

// Stores one evaluate run's lines (policy, estimator, value, ci_low, ci_high,
// ess, support, posts, warning, exploration), replacing a run of the same
// account and time: evaluate is safe to re-run.
void store_policy_estimates(pqxx::work& w, long long account_id, TimePoint evaluated_at,
                            std::optional<TimePoint> since, const std::vector<Json>& lines);

struct StoredEstimate {
  std::string policy, estimator;
  std::optional<double> exploration, value, ci_low, ci_high;
  long long posts = 0;
  std::string warning;
};

struct StoredEvaluation {
  TimePoint evaluated_at;
  std::vector<StoredEstimate> estimates;  // by policy, then estimator
};

// The latest run at or before `now`, however old (it carries its time); nullopt when none.
std::optional<StoredEvaluation> latest_policy_estimates(pqxx::transaction_base& t,
                                                        long long account_id, TimePoint now);

// An evaluation older than this no longer speaks for the current posterior:
// crontab.example evaluates daily, so a week means it stopped running.
inline constexpr Seconds kEstimateMaxAge = std::chrono::hours(24 * 7);

// plan-post --exploration auto: Thompson's spread from the latest evaluation's
// doubly robust estimates of Thompson policies (learn::choose_exploration
// against `current`), with the evidence as JSON for the plan's rationale.
struct AutoExploration {
  learn::ExplorationChoice choice;
  Json evidence;  // evaluated_at and each candidate spread's estimate
};
AutoExploration auto_exploration(pqxx::transaction_base& t, long long account_id, TimePoint now,
                                 double current);

}  // namespace gl::jobs
