// plan-post: plans and queues the account's next post(s) from what was learned.
#include "core/cli.h"
#include "core/error.h"
#include "db/job_run.h"
#include "jobs/plan_post.h"

int main(int argc, char** argv) {
  gl::jobs::PlanPostOptions o;
  gl::plan::PlanOptions& p = o.plan;
  std::string policy = "thompson";
  return gl::run_tool(
      {"plan-post", "Plan the next post(s): persona, topic, formula, slot and text; queue them."},
      argc, argv,
      [&](CLI::App& app) {
        app.add_option("--count", o.count, "posts to plan")->check(CLI::Range(1, 100));
        app.add_option("--fill-to", o.fill_to, "plan until this many posts are queued ahead (cron)")
            ->check(CLI::Range(0, 100));
        app.add_option("--policy", policy,
                       "thompson (learning), random (learning off), epsilon, oracle (x-sandbox "
                       "only: its truth "
                       "scores the plans)")
            ->check(CLI::IsMember({"thompson", "random", "epsilon", "oracle"}));
        app.add_option(
               "--exploration", p.exploration,
               "spread of Thompson draws relative to the posterior (1 = the full posterior)")
            ->check(CLI::Range(0.0, 2.0));
        app.add_option("--epsilon", p.epsilon, "exploration rate of --policy epsilon")
            ->check(CLI::Range(0.0, 1.0));
        app.add_option("--trending-probability", p.trending_probability,
                       "chance to write about a trending topic")
            ->check(CLI::Range(0.0, 1.0));
        app.add_option("--topic-cooldown-hours", p.topic_cooldown_hours,
                       "hours before a topic may be used again")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--min-spacing-hours", p.min_spacing_hours, "hours between two posts")
            ->check(CLI::NonNegativeNumber);
        app.add_option("--daily-cap", p.daily_cap, "posts per local day")->check(CLI::Range(1, 48));
        app.add_option("--seed", o.seed, "random seed, for reproducible plans (0 = random)");
      },
      [&](gl::ToolContext& ctx) {
        if (!gl::plan::parse_policy(policy, p.policy))
          throw gl::usage_error("--policy", "\"" + policy + "\" is not a policy");
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::plan_post(run, o); });
      });
}
