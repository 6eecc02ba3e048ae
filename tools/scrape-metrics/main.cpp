// scrape-metrics: collects posted tweets' metrics through the X API v2 into
// outcomes, learning_posts, tweet_metrics and content_metadata.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "core/number_flags.h"
#include "db/all_accounts.h"
#include "db/job_run.h"
#include "jobs/scrape_metrics.h"
#include "x/client.h"

int main(int argc, char** argv) {
  gl::jobs::ScrapeOptions options;
  gl::ToolSpec spec{"scrape-metrics",
                    "Collect metrics of this account's posted tweets through the X API v2."};
  spec.check_config = [] { gl::x::check_x_config_from_env(/*need_user_context=*/false); };
  spec.all_accounts = gl::db::run_due_accounts({gl::jobs::scrape_due_accounts_sql()});
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--limit", options.limit, "most posts to collect this run")
            ->check(gl::whole_in(1, 1000000));
        app.add_option("--max-requests", options.max_requests,
                       "most X API requests this run (0 = no limit)")
            ->check(gl::whole_in(0, 100000));
        app.add_option("--read-through", options.read_through,
                       "how recent posts are read: auto (the account's own timeline when it "
                       "costs no more than lookups) or lookup")
            ->check(CLI::IsMember({"auto", "lookup"}));
      },
      [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::scrape_metrics(run, options); });
      });
}
