// publish: posts queued posts whose scheduled time has come, never twice.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "core/number_flags.h"
#include "db/all_accounts.h"
#include "db/job_run.h"
#include "jobs/publish.h"
#include "x/client.h"

int main(int argc, char** argv) {
  gl::jobs::PublishOptions options;
  gl::ToolSpec spec{"publish", "Post this account's queued posts whose scheduled time has come."};
  spec.check_config = [] { gl::x::check_x_config_from_env(/*need_user_context=*/true); };
  spec.config_for_posting_only = true;
  spec.all_accounts = gl::db::run_due_accounts({gl::jobs::publish_due_accounts_sql()});
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--limit", options.limit, "most posts to publish this run")
            ->check(gl::whole_in(1, 100));
        app.add_option_function<long long>(
               "--max-late-minutes",
               [&](long long m) { options.max_late = std::chrono::minutes(m); },
               "a queued post later than this has missed its slot and fails (default 60)")
            ->check(gl::whole_in(1, 10080));
      },
      [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::publish(run, options); });
      });
}
