// publish: posts queued posts whose scheduled time has come, never twice.
#include "core/cli.h"
#include "db/job_run.h"
#include "jobs/publish.h"

int main(int argc, char** argv) {
  gl::jobs::PublishOptions options;
  return gl::run_tool(
      {"publish", "Post this account's queued posts whose scheduled time has come."}, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--limit", options.limit, "most posts to publish this run")
            ->check(CLI::PositiveNumber);
      },
      [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::publish(run, options); });
      });
}
