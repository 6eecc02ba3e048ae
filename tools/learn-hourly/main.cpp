// learn-hourly: trains the predictor, learns follower drivers, refreshes
// formulas, and stores a learning summary. --print-rules prints the rules of
// the learning (gates, success, engagement rate, reward weights) as JSON, so
// scripts read them instead of repeating them.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "core/json_lines.h"
#include "db/job_run.h"
#include "jobs/learn_hourly.h"
#include "jobs/learner_watermark.h"
#include "learn/rules.h"

int main(int argc, char** argv) {
  bool print_rules = false;
  gl::jobs::LearnHourlyOptions options;
  gl::ToolSpec spec{"learn-hourly",
                    "Train the engagement predictor and write the learning summary."};
  spec.all_accounts = gl::jobs::learner_all_accounts([&] { return options.full; });
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_flag("--print-rules", print_rules,
                     "print the learning gates, success rule and reward weights as JSON and exit "
                     "(no database)");
        gl::jobs::add_full_flag(app, options.full);
      },
      [&](gl::ToolContext& ctx) {
        if (print_rules) {
          gl::emit(gl::learn::rules_json());
          return 0;
        }
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::learn_hourly(run, options); });
      });
}
