// update-generators: ranks the personas by what their posts achieved.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "db/job_run.h"
#include "jobs/learner_watermark.h"
#include "jobs/update_generators.h"

int main(int argc, char** argv) {
  gl::jobs::UpdateGeneratorsOptions options;
  gl::ToolSpec spec{
      "update-generators",
      "Per-generator performance from gated posts, ranked; reads scrape-metrics output on stdin "
      "to update only the generators it names."};
  spec.all_accounts = gl::jobs::learner_all_accounts([&] { return options.full; },
                                                     gl::jobs::MovingWindow::kTrend7Days);
  spec.stdin_by_account = true;
  return gl::run_tool(
      spec, argc, argv, [&](CLI::App& app) { gl::jobs::add_full_flag(app, options.full); },
      [&](gl::ToolContext& ctx) {
        options.only = gl::jobs::generators_from_stdin();
        return gl::db::run_for_account(ctx, [&](gl::db::AccountRun& run) {
          return gl::jobs::update_generators(run, options);
        });
      });
}
