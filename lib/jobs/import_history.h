// import-history: writes the account's past posts, read from its X exports
// (lib/import), as history: content_metadata (status posted, source imported,
// the reserved generator `imported`), and their metrics through the same
// four-table write as scrape-metrics (jobs/metrics_write), gates included.
// One transaction per export file (the archive with the analytics rows joined
// to its posts, then each analytics file's remaining posts), or one for
// everything with --strict, which writes nothing when any input is bad.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "db/job_run.h"

namespace gl::jobs {

struct ImportOptions {
  std::vector<std::string> paths;  // archive zips or folders, analytics CSVs, in any order
  std::optional<TimePoint> since;  // only posts posted at or after this
  bool strict = false;             // any bad input: write nothing, exit 2
  size_t batch = 1000;             // posts per write
};

// Prints the summary as one JSON line. Returns 0, or 2 when a file could not
// be read at all (the other files are imported).
int import_history(db::AccountRun& run, const ImportOptions& options);

}  // namespace gl::jobs
