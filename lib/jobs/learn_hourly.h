// learn-hourly: the seed's real-time learning loop and self-learning system in
// one run: trains the predictor, finds what drives follows, refreshes formula
// confidence, and writes one learning_summaries row.
#pragma once

#include "db/job_run.h"

namespace gl::jobs {

// The learning summary calls its data stale, and ranks nothing as current,
// when the newest gated post is older than this: a month without evidence is
// longer than two half-lives of the bandits' decay (14 days).
inline constexpr double kStaleAfterDays = 30;

struct LearnHourlyOptions {
  bool full = false;  // run even when nothing changed (jobs/learner_watermark.h)
};

// Unchanged inputs: the last summary again, stored with this run's time, so
// the summaries stay one per run.
int learn_hourly(db::AccountRun& run, const LearnHourlyOptions& options);

}  // namespace gl::jobs
