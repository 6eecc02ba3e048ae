// aggregate: the 24 h roll-up, the bandit arms (topics, hours, tag
// combinations, generators, formulas), embeddings of new posts, and
// retraining when 10 or more new gated posts arrived.
#pragma once

#include "core/json_lines.h"
#include "db/job_run.h"

namespace gl::jobs {

inline constexpr long long kRetrainAfterNewPosts = 10;
inline constexpr const char* kBanditFamilies[] = {"topic", "hour", "tag", "generator", "formula"};

int aggregate(db::AccountRun& run);

// Stores decayed arm statistics and posteriors for every family and format.
Json update_bandit_arms(db::AccountRun& run);

// Embeds posts without an embedding (local by default, /v1/embeddings when
// LLM_BASE_URL is set); returns how many.
long long embed_new_posts(db::AccountRun& run);

}  // namespace gl::jobs
