// learn-hourly: trains the predictor, learns follower drivers, refreshes
// formulas, and stores a learning summary.
#include "core/cli.h"
#include "db/job_run.h"
#include "jobs/learn_hourly.h"

int main(int argc, char** argv) {
  return gl::run_tool(
      {"learn-hourly", "Train the engagement predictor and write the learning summary."}, argc,
      argv, nullptr, [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [](gl::db::AccountRun& run) { return gl::jobs::learn_hourly(run); });
      });
}
