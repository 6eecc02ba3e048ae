// extract-formulas: learns viral formulas from successful posts of four sources.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "db/job_run.h"
#include "jobs/extract_formulas.h"
#include "jobs/learner_watermark.h"

int main(int argc, char** argv) {
  gl::jobs::ExtractFormulasOptions options;
  gl::ToolSpec spec{
      "extract-formulas",
      "Learn viral formulas from our successful posts, viral replies, vi_tweets and peer_posts."};
  spec.all_accounts =
      gl::jobs::learner_all_accounts([&] { return options.full || !options.generator.empty(); });
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--generator", options.generator,
                       "print only this persona's formulas, best first");
        gl::jobs::add_full_flag(app, options.full);
      },
      [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::extract_formulas(run, options); });
      });
}
