// Loading what plan-post's planner reads (plan::PlanInputs) from the database,
// and, for the oracle policy, x-sandbox's scorer through the X client.
#pragma once

#include <map>
#include <optional>
#include <pqxx/pqxx>

#include "core/clock.h"
#include "db/job_run.h"
#include "learn/reward_model.h"
#include "learn/rules.h"
#include "plan/inputs.h"
#include "plan/plan.h"

namespace gl::jobs {

// Each policy reads only what it chooses with: epsilon-greedy the per-family
// arms, Thompson the joint posterior (refit from the newest metrics), the
// oracle x-sandbox's scores (a usage error against real X).
// The reward posterior, refit at every plan from the newest metrics; old posts
// count less, by the half-life of reward_half_life.
// `prior_means`: the pooled prior of the database's other accounts (jobs/pooled_effects.h).
learn::RewardModel fit_reward_model(pqxx::transaction_base& t, long long account_id, TimePoint now,
                                    const std::map<std::string, double>& prior_means = {});

// The samples fit_reward_model fits: the account's gated single posts, aged at `now`.
std::vector<learn::AgedSample> reward_samples(pqxx::transaction_base& t, long long account_id,
                                              TimePoint now);

// The reward model's half-life at `now`: the choice stored in reward_memory
// while learn::half_life_current says so, else learn::choose_half_life of
// `samples` (twenty fits: learn-hourly stores it, so that a plan rarely makes it).
double reward_half_life(pqxx::transaction_base& t, long long account_id, TimePoint now,
                        const std::vector<learn::AgedSample>& samples);

// learn-hourly: the half-life, chosen from the account's posts and stored when
// the stored one is not current, or always with `choose_again` (--full); returns it.
// `gated_single`: the posted times of the account's single posts that pass the
// gates at `now`, when the caller read them: counted here, not by a statement.
double store_reward_half_life(pqxx::transaction_base& t, long long account_id, TimePoint now,
                              bool choose_again,
                              const std::vector<TimePoint>* gated_single = nullptr);

// The oracle's scorer: x-sandbox's POST /sandbox/score with the account's own
// credentials and business clock, as the reward of the expected metrics,
// their rates smoothed toward `smoothing` (the learners' reward takes the
// account's rates) or, by default, toward the post's own (no smoothing). A
// usage error against real X.
plan::OracleScorer sandbox_scorer(db::AccountRun& run,
                                  std::optional<learn::ActionValues> smoothing = std::nullopt);

plan::PlanInputs load_plan_inputs(db::AccountRun& run, TimePoint now, plan::Policy policy);

}  // namespace gl::jobs
