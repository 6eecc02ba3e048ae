// scrape-metrics: collects posted tweets' metrics through the X API v2 into
// outcomes, learning_posts, tweet_metrics and content_metadata.
#include "core/cli.h"
#include "db/job_run.h"
#include "jobs/scrape_metrics.h"

int main(int argc, char** argv) {
  gl::jobs::ScrapeOptions options;
  return gl::run_tool(
      {"scrape-metrics", "Collect metrics of this account's posted tweets through the X API v2."},
      argc, argv,
      [&](CLI::App& app) {
        app.add_option("--limit", options.limit, "most posts to collect this run")
            ->check(CLI::PositiveNumber);
        app.add_option("--max-requests", options.max_requests,
                       "most X API requests this run (0 = no limit)")
            ->check(CLI::NonNegativeNumber);
      },
      [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::scrape_metrics(run, options); });
      });
}
