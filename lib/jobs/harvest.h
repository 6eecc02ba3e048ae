// harvest: the outside world brought in, read-only and on a budget. Trends
// matched to the account's topics (trending_topics), viral posts per topic
// (vi_tweets), peer accounts' new posts (peer_posts), and the most-liked
// replies under the best of them (reply_metrics). Every read is recorded in
// api_usage; a run stops at its caps and at the account's daily and monthly
// budgets, and says what it skipped and why.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "db/job_run.h"

namespace gl::jobs {

inline const std::set<std::string> kHarvestSources = {"trends", "viral", "peers", "replies"};

struct HarvestOptions {
  std::set<std::string> only = kHarvestSources;  // --only
  std::optional<long long> max_reads;            // --max-reads: resources X returns this run
  std::optional<double> budget_usd;              // --budget-usd: estimated spend this run
};

int run_harvest(db::AccountRun& run, const HarvestOptions& options);

}  // namespace gl::jobs
