// aggregate: 24 h roll-up, bandit arms, embeddings, retraining.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "db/job_run.h"
#include "jobs/aggregate.h"
#include "jobs/learner_watermark.h"
#include "llm/client.h"

int main(int argc, char** argv) {
  gl::jobs::AggregateOptions options;
  gl::ToolSpec spec{
      "aggregate",
      "Roll up the last 24 h, update the bandit arms, embed new posts, retrain when due."};
  spec.check_config = [] { gl::llm::llm_config_from_env(/*need_chat_model=*/false); };
  spec.all_accounts = gl::jobs::learner_all_accounts([&] { return options.full; },
                                                     gl::jobs::MovingWindow::kRollup24Hours);
  return gl::run_tool(
      spec, argc, argv, [&](CLI::App& app) { gl::jobs::add_full_flag(app, options.full); },
      [&](gl::ToolContext& ctx) {
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::aggregate(run, options); });
      });
}
