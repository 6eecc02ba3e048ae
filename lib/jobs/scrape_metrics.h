// scrape-metrics: collects this account's posted tweets' metrics through the
// X API v2 and writes tweet_metrics, outcomes, learning_posts and
// content_metadata in one transaction per batch of up to 100 tweets.
#pragma once

#include <string>

#include "db/job_run.h"
#include "jobs/metrics_write.h"  // kCollectAtHours, the schedule

namespace gl::jobs {

struct ScrapeOptions {
  int limit = 10000;     // most posts to collect in one run
  int max_requests = 0;  // most X API requests in one run; 0 = no limit
  // "auto": the account's own posts of the last 30 days through its timeline
  // (owned reads) when that adds no more to the bill than lookups; "lookup":
  // always GET /2/tweets.
  std::string read_through = "auto";
};

int scrape_metrics(db::AccountRun& run, const ScrapeOptions& options);

// The account_ids with a post due for collection at $1: --all-accounts runs
// only these.
std::string scrape_due_accounts_sql();

}  // namespace gl::jobs
