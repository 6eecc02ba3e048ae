// harvest: trends, viral posts, peers' posts and viral replies from X into
// trending_topics, vi_tweets, peer_posts and reply_metrics, read-only and on a budget.
#include <CLI/CLI.hpp>
#include <sstream>

#include "core/cli.h"
#include "core/error.h"
#include "core/number_flags.h"
#include "db/all_accounts.h"
#include "db/job_run.h"
#include "jobs/harvest.h"
#include "x/client.h"

int main(int argc, char** argv) {
  gl::jobs::HarvestOptions options;
  std::string only;
  long long max_reads = 0;
  double budget_usd = 0;
  CLI::Option* max_reads_flag = nullptr;
  CLI::Option* budget_flag = nullptr;
  gl::ToolSpec spec{
      "harvest", "Read trends, viral posts, peers' posts and viral replies from X, on a budget."};
  spec.check_config = [] { gl::x::check_x_config_from_env(/*need_user_context=*/false); };
  spec.all_accounts = gl::db::run_all_accounts;
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--only", only, "comma-separated sources: trends,viral,peers,replies");
        max_reads_flag = app.add_option("--max-reads", max_reads,
                                        "most resources (posts, users) X may return this run")
                             ->check(gl::whole_in(0, 100000000));
        budget_flag = app.add_option("--budget-usd", budget_usd, "most estimated spend this run")
                          ->check(gl::real_in(0, 100000));
      },
      [&](gl::ToolContext& ctx) {
        if (!only.empty()) {
          options.only.clear();
          std::stringstream in(only);
          for (std::string s; std::getline(in, s, ',');) {
            if (!gl::jobs::kHarvestSources.count(s))
              throw gl::usage_error("--only \"" + s + "\"",
                                    "is not one of trends, viral, peers, replies");
            options.only.insert(s);
          }
        }
        if (max_reads_flag->count() > 0) options.max_reads = max_reads;
        if (budget_flag->count() > 0) options.budget_usd = budget_usd;
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::run_harvest(run, options); });
      });
}
