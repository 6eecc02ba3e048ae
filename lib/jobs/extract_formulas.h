// extract-formulas: learns viral formulas from the seed's four sources (our
// successful posts, viral replies, vi_tweets, peer_posts' top posts) and
// stores them in viral_formulas, replacing the account's previous set.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/json_lines.h"
#include "db/job_run.h"
#include "jobs/learning_data.h"
#include "learn/formulas.h"

namespace gl::jobs {

struct ExtractFormulasOptions {
  std::string generator;  // print only the formulas this persona can use
  bool full = false;      // run even when nothing changed (jobs/learner_watermark.h)
};

int extract_formulas(db::AccountRun& run, const ExtractFormulasOptions& options);

// Re-extracts and stores every format's formulas from the posts of every
// format of kFormats the caller read in this run (read_scoped_posts, with their
// stored text analyses; their contents and analyses move here); returns them by format.
std::map<std::string, std::vector<learn::ViralFormula>> refresh_formulas(
    db::AccountRun& run, std::map<std::string, FormatRead>&& read);

}  // namespace gl::jobs
