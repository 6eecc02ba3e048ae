// Everything a plan reads, loaded once per run by the job (lib/jobs/plan_inputs)
// and updated as the run plans more posts: candidates (topics, trending
// topics, personas, formulas), what was learned about them, and what is
// already scheduled. Plain data, so the choosers are testable without a database.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "learn/bandit.h"
#include "learn/pooled_prior.h"
#include "learn/reward_model.h"
#include "plan/draft_check.h"

namespace gl::plan {

struct Persona {
  std::string name, description, style;
};

struct Formula {
  std::string key, name, structure, example, hook;
  double confidence = 0;
};

// The expected reward of a text posted at a time (the oracle's only input).
using OracleScorer = std::function<double(const std::string& text, TimePoint at)>;

// The local hours an account posts in, both ends included; from > to wraps
// past midnight ("22-2" is 22, 23, 0, 1, 2). The default is 07:00-23:00.
struct PostingHours {
  int from = 7;
  int to = 23;
  bool allows(int local_hour) const;
};

struct PlanInputs {
  TimePoint now;
  std::string timezone = "UTC";       // the account's, for hours of day and the daily cap
  PostingHours posting_hours;         // the account's; every policy plans only within them
  std::vector<std::string> topics;    // the account's list and its history, lower case
  std::vector<std::string> trending;  // fresh trending topics, best first, lower case
  // A topic as the account writes it (a trending one as harvest stored it), by
  // its lower-case key: the text says "iPhone", the learners count "iphone".
  std::map<std::string, std::string> topic_names;
  std::vector<Persona> personas;                                          // enabled
  std::vector<Formula> formulas;                                          // learned, format single
  std::map<std::string, std::vector<std::string>> formulas_by_generator;  // persona -> keys
  // Epsilon-greedy's per-family arms.
  learn::ArmPosteriors generator_arms, topic_arms, hour_arms, hook_arms;
  learn::RewardModel reward_model;       // Thompson's joint posterior
  learn::PooledPrior pooled_prior;       // its prior mean: the other accounts' effects
  std::vector<RecentPost> recent;        // the last posts, for duplicate checks
  std::vector<std::string> best_recent;  // the best recent posts, for the LLM prompt
  std::vector<TimePoint> scheduled;      // posts queued or posted around now
  // When each topic, and each hook, was or will be posted (the last three days
  // and the queue): the cooldown and the repetition features read them.
  std::map<std::string, std::vector<TimePoint>> topic_uses;
  std::map<std::string, std::vector<TimePoint>> hook_uses;
  OracleScorer oracle_score;  // only against x-sandbox; empty in production

  const Persona* persona(const std::string& name) const;        // nullptr when unknown
  const Formula* formula(const std::string& key) const;         // nullptr when unknown
  const std::string& topic_name(const std::string& key) const;  // the key when it has none
};

struct Plan;

// The next plan of the same run sees this one: its slot taken, its topic and
// its text's hook used at that slot, its text recent.
void remember(PlanInputs& in, const Plan& plan, const std::string& text);

}  // namespace gl::plan
