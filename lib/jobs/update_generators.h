// update-generators: per-persona performance (posts, views, engagement rate,
// followers per 1000 views, topic preferences, 7-day trend), ranked with
// posteriors shrunk toward the account's mean; written to generator_stats.
#pragma once

#include <set>
#include <string>

#include "db/job_run.h"

namespace gl::jobs {

struct UpdateGeneratorsOptions {
  std::set<std::string> only;  // generators named on stdin (scrape-metrics output); empty = all
  bool full = false;           // run even when nothing changed (jobs/learner_watermark.h)
};

int update_generators(db::AccountRun& run, const UpdateGeneratorsOptions& options);

// The generator names in scrape-metrics' JSON lines on stdin.
std::set<std::string> generators_from_stdin();

}  // namespace gl::jobs
