// evaluate: what other policies would have earned on the account's own log
// (off-policy evaluation: IPS, self-normalised IPS, doubly robust).
#include <CLI/CLI.hpp>
#include <limits>

#include "core/cli.h"
#include "core/error.h"
#include "core/number_flags.h"
#include "db/all_accounts.h"
#include "db/job_run.h"
#include "jobs/evaluate.h"

int main(int argc, char** argv) {
  gl::jobs::EvaluateOptions o;
  std::vector<std::string> policies;
  std::string since, format = "json";
  CLI::Option* since_flag = nullptr;
  gl::ToolSpec spec{"evaluate",
                    "Estimate what other policies would have earned on the account's own log."};
  spec.all_accounts = gl::db::run_all_accounts;
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--policy", policies,
                       "logged, random, epsilon[:E], greedy, thompson[:SCALE], "
                       "fixed:topic=T,hour=H[,hook=K][,persona=P] (repeatable; default: "
                       "logged random epsilon:0.2 thompson greedy)");
        since_flag = app.add_option("--since", since, "only posts posted from this ISO time on");
        app.add_option("--format", format, "json (lines) or table")
            ->check(CLI::IsMember({"json", "table"}));
        app.add_option("--exploration", o.exploration,
                       "spread of thompson's draws when no :SCALE is given (plan-post's default)")
            ->check(gl::real_in(0.0, 2.0));
        app.add_option("--draws", o.draws, "posterior draws per logged post for thompson")
            ->check(gl::whole_in(10, 100000));
        app.add_option("--clip", o.clip, "cut importance weights above this (0: no clipping)")
            ->check(gl::real_in(0.0, 1e9));
        app.add_option("--min-logged-p", o.min_logged_p,
                       "a logged plan less likely than this gives no support")
            ->check(gl::real_in(0.0, 1.0));
        app.add_option("--bootstrap", o.bootstrap, "bootstrap resamples per interval")
            ->check(gl::whole_in(100, 100000));
        app.add_option("--seed", o.seed, "seed of the bootstrap and the posterior draws")
            ->check(gl::whole_in(1, std::numeric_limits<long long>::max()));
        app.add_option("--truth-samples", o.truth_samples,
                       "x-sandbox only: score this many plans of each policy per logged post "
                       "through POST /sandbox/score for its true value")
            ->check(gl::whole_in(0, 1000));
      },
      [&](gl::ToolContext& ctx) {
        if (!policies.empty()) o.policies = policies;
        if (since_flag->count() > 0) {  // given at all: an empty value is no time
          o.since = gl::parse_iso8601(since);
          if (!o.since)
            throw gl::usage_error("--since", "\"" + since + "\" is not an ISO 8601 time");
        }
        o.table = format == "table";
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::evaluate(run, o); });
      });
}
