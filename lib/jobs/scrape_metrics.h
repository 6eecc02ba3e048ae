// scrape-metrics: collects this account's posted tweets' metrics through the
// X API v2 and writes tweet_metrics, outcomes, learning_posts and
// content_metadata in one transaction per batch of up to 100 tweets.
#pragma once

#include "db/job_run.h"
#include "jobs/metrics_write.h"  // kCollectAtHours, the schedule

namespace gl::jobs {

struct ScrapeOptions {
  int limit = 10000;     // most posts to collect in one run
  int max_requests = 0;  // most X API requests in one run; 0 = no limit
};

int scrape_metrics(db::AccountRun& run, const ScrapeOptions& options);

}  // namespace gl::jobs
