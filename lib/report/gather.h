// Reads one account's report (report_data.h) from the database at the run's
// --now: the learners' own relations (jobs/learning_sql), the stored learning
// summary, predictor, follower attribution, queue and job_runs. Read-only.
#pragma once

#include "db/job_run.h"
#include "report/report_data.h"

namespace gl::report {

Report gather(db::AccountRun& run);

}  // namespace gl::report
