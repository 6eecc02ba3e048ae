// Training and storing the engagement predictor (shared by learn-hourly and
// aggregate's retraining).
#pragma once

#include <optional>
#include <string>

#include "core/json_lines.h"
#include "db/job_run.h"
#include "learn/predictor.h"

namespace gl::jobs {

// Trains ln(views) and engagement-rate models on the format's gated posts and
// stores them as a new version. Returns the predictor's report (samples,
// held-out error, trained_at), or a report saying why it did not train.
Json train_predictor(db::AccountRun& run, const std::string& format);

// Gated posts of the format newer than the current model's newest post.
long long new_gated_posts_since_training(db::AccountRun& run, const std::string& format);

struct StoredPredictor {
  int version = 0;
  learn::LinearModel log_views;
  learn::LinearModel engagement_rate;
};

std::optional<StoredPredictor> current_predictor(pqxx::transaction_base& t, long long account_id,
                                                 const std::string& format);

}  // namespace gl::jobs
