// learn-hourly: the seed's real-time learning loop and self-learning system in
// one run: trains the predictor, finds what drives follows, refreshes formula
// confidence, and writes one learning_summaries row.
#pragma once

#include "db/job_run.h"

namespace gl::jobs {

int learn_hourly(db::AccountRun& run);

}  // namespace gl::jobs
