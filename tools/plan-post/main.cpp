// plan-post: plans and queues the account's next post(s) from what was learned.
#include <CLI/CLI.hpp>
#include <limits>
#include <string>

#include "core/cli.h"
#include "core/error.h"
#include "core/number_flags.h"
#include "db/all_accounts.h"
#include "db/job_run.h"
#include "jobs/plan_post.h"
#include "llm/client.h"

int main(int argc, char** argv) {
  gl::jobs::PlanPostOptions o;
  gl::plan::PlanOptions& p = o.plan;
  std::string policy = "thompson";
  std::string exploration;
  gl::ToolSpec spec{"plan-post",
                    "Plan the next post(s): persona, topic, formula, slot and text; queue them."};
  spec.check_config = [] { gl::llm::llm_config_from_env(/*need_chat_model=*/true); };
  spec.config_for_posting_only = true;
  spec.all_accounts = [&](gl::ToolContext& ctx, const gl::AllAccountsRequest& request) {
    if (o.fill_to == 0) return gl::db::run_all_accounts(ctx, request);
    return gl::db::run_due_accounts({gl::jobs::plan_due_accounts_sql(o.fill_to),
                                     {{"planned", 0}, {"skipped", "queue_full"}}})(ctx, request);
  };
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        auto* count =
            app.add_option("--count", o.count, "posts to plan")->check(gl::whole_in(1, 100));
        app.add_option("--fill-to", o.fill_to,
                       "plan until this many posts are queued ahead (cron); not with --count")
            ->check(gl::whole_in(1, 100))
            ->excludes(count);
        app.add_option("--policy", policy,
                       "thompson (learning), random (learning off), epsilon, oracle (x-sandbox "
                       "only: its truth scores the plans)")
            ->check(CLI::IsMember({"thompson", "random", "epsilon", "oracle"}));
        app.add_option("--exploration", exploration,
                       "spread of Thompson draws relative to the posterior (1 = the full "
                       "posterior), or auto: the spread evaluate found better, when its interval "
                       "clears the current one's")
            ->check(
                [](const std::string& v) {
                  return v == "auto" ? std::string() : gl::check_number(v, 0.0, 2.0, false);
                },
                "auto or a number in [0, 2]");
        app.add_option("--epsilon", p.epsilon, "exploration rate of --policy epsilon")
            ->check(gl::real_in(0.0, 1.0));
        app.add_option("--trending-probability", p.trending_probability,
                       "chance to write about a trending topic")
            ->check(gl::real_in(0.0, 1.0));
        app.add_option("--topic-cooldown-hours", p.topic_cooldown_hours,
                       "hours before a topic may be used again")
            ->check(gl::real_in(0.0, 24.0 * 30));
        app.add_option("--min-spacing-hours", p.min_spacing_hours, "hours between two posts")
            ->check(gl::real_in(0.0, 24.0 * 7));
        app.add_option("--daily-cap", p.daily_cap, "posts per local day")
            ->check(gl::whole_in(1, 48));
        app.add_option("--seed", o.seed, "random seed, for reproducible plans (0 = random)")
            ->check(gl::whole_in(0, std::numeric_limits<long long>::max()));
      },
      [&](gl::ToolContext& ctx) {
        if (!gl::plan::parse_policy(policy, p.policy))
          throw gl::usage_error("--policy", "\"" + policy + "\" is not a policy");
        o.auto_exploration = exploration == "auto";
        if (!exploration.empty() && !o.auto_exploration) p.exploration = std::stod(exploration);
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::plan_post(run, o); });
      });
}
