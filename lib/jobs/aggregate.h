// aggregate: the 24 h roll-up, the bandit arms (topics, hours, tag
// combinations, generators, formulas), the reward posterior's effects the
// other accounts pool (jobs/pooled_effects.h), embeddings of new posts, and
// retraining when 10 or more new gated posts arrived.
#pragma once

#include "db/job_run.h"

namespace gl::jobs {

inline constexpr long long kRetrainAfterNewPosts = 10;
inline constexpr const char* kBanditFamilies[] = {"topic", "hour", "tag", "generator", "formula"};

struct AggregateOptions {
  bool full = false;  // run even when nothing changed (jobs/learner_watermark.h)
};

int aggregate(db::AccountRun& run, const AggregateOptions& options);

}  // namespace gl::jobs
