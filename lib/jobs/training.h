// Training and storing the engagement predictor (shared by learn-hourly and
// aggregate's retraining), and reading it back for plan-post.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/json_lines.h"
#include "db/job_run.h"
#include "jobs/learning_data.h"
#include "learn/predictor.h"

namespace gl::jobs {

// Trains the predictor's targets on the format's learnable posts and stores
// them as a new version, with each target's held-out error next to the
// mean's and whether it is used for planning. Returns the predictor's report,
// or one saying truly why nothing trained (and then stores nothing).
//
// Learnable: the posts that pass the learning gates, and those whose only
// failed gate is views_unknown (X gives no view count for posts older than
// its view counter): their likes are real, and the targets that need views
// (views, engagement rate) skip them anyway.
//
// Each target reuses the penalties stored with the format's newest model while
// learn::penalty_current holds; with `full` (--full) every penalty is chosen
// afresh. The report says per target which (`penalty`).
// `read`: the format's posts when the caller already read them (read_scoped_posts).
Json train_predictor(db::AccountRun& run, const std::string& format, bool full,
                     const std::vector<ScopedPost>* read = nullptr);

// The account's followers at each time: the newest snapshot at or before it,
// else the oldest after it (the nearest reading); nullopt when never read.
std::vector<std::optional<double>> followers_at(pqxx::transaction_base& t, long long account_id,
                                                const std::vector<TimePoint>& times);

// Gated posts of the format newer than the current model's newest post.
long long new_gated_posts_since_training(db::AccountRun& run, const std::string& format);

// The newest stored predictor as plan-post uses it: only the targets that
// beat the mean on held-out posts, and the account's followers at `now`.
struct StoredPredictor {
  int version = 0;
  std::map<learn::Target, learn::StoredTarget> usable;
  std::optional<double> followers_now;

  learn::Prediction predict(learn::PostFeatures p) const;
};

std::optional<StoredPredictor> current_predictor(pqxx::transaction_base& t, long long account_id,
                                                 const std::string& format, TimePoint now);

}  // namespace gl::jobs
