// extract-formulas: learns viral formulas from successful posts of four sources.
#include "core/cli.h"
#include "db/all_accounts.h"
#include "db/job_run.h"
#include "jobs/extract_formulas.h"

int main(int argc, char** argv) {
  gl::jobs::ExtractFormulasOptions options;
  gl::ToolSpec spec{
      "extract-formulas",
      "Learn viral formulas from our successful posts, viral replies, vi_tweets and peer_posts."};
  spec.all_accounts = gl::db::run_all_accounts;
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--generator", options.generator,
                       "print only this persona's formulas, best first");
        app.add_flag("--full", options.full,
                     "recompute even when nothing changed since the last run");
      },
      [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::extract_formulas(run, options); });
      });
}
