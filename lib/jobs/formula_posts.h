// What extract-formulas learns from of the account's own posts, read once per
// format: the successful posts against the median of the format's gated
// posts, their stored text analyses, and the format's gate report. One
// statement per format with posts reads only the columns the formulas and the
// gate report need; the analyses are read once for all formats and joined
// here (the md5 of each content computed here, not by the server).
#pragma once

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/json_lines.h"
#include "db/job_run.h"
#include "jobs/learning_data.h"
#include "learn/formulas.h"

namespace gl::jobs {

struct FormulaPosts {
  std::vector<learn::FormulaObservation> own;               // successful, oldest first
  std::unordered_map<std::string, learn::KnownText> known;  // their stored analyses, by tweet id
  Json gates;                                               // gate_report's
};

// A successful post's stored analysis is found by these (own[i] is post i).
struct FormulaPostKey {
  std::string decision_id, content_md5;
};

// The scope's posts in one statement: the successful ones (no text analyses
// yet) and the gate report, with `no_metrics` posts without metrics yet
// (posts_without_metrics). `keys` receives each successful post's key.
FormulaPosts read_formula_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                long long no_metrics, std::vector<FormulaPostKey>& keys);

// Every format's (kFormats), with the stored analyses joined; the successful
// posts without one are analysed and stored first (not in a dry run: then
// learn::extract_formulas analyses them). `analysed`: how many were.
std::map<std::string, FormulaPosts> read_formula_posts(db::AccountRun& run, long long& analysed);

// The same from posts a learner already read (read_scoped_posts, with their
// analyses), which it no longer needs: their contents and analyses move here.
FormulaPosts formula_posts(FormatRead&& read);

}  // namespace gl::jobs
