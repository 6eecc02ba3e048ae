// The best possible policy, for benchmarks: a scorer of the hidden truth (the
// caller's; x-sandbox's POST /sandbox/score in the tools) rates an offline
// draft of every topic and hook at every free hour of the topic. (Rating the
// drafts at the first free slot and then the hours for the best draft missed
// a topic that wins only at some hours: in evening_topic.json the oracle never
// posted focus in the evening, the audience's best plan.)
#include <limits>
#include <map>
#include <optional>

#include "core/error.h"
#include "plan/choice.h"
#include "plan/composer.h"
#include "plan/planner.h"

namespace gl::plan {

namespace {
FamilyChoice certain(const std::string& key) { return {key, 1.0, {{key, 1.0}}}; }
}  // namespace

Plan choose_oracle(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng) {
  if (!in.oracle_score) {
    throw usage_error("--policy oracle",
                      "needs the hidden truth's scores, which only x-sandbox has: set "
                      "X_API_BASE_URL to an x-sandbox");
  }
  const Candidates c = candidates(in, o);
  const TopicRule rule = trending_rule(c, o.trending_probability, rng);
  const std::vector<std::string> topics =
      rule.trending ? std::vector<std::string>{rule.topic} : c.topics;
  // The best draft of each hour (hours in slot order), then the hour whose
  // best less what it costs the day's next post (NextPost) is highest.
  struct Best {
    double r = -std::numeric_limits<double>::infinity();
    std::string topic, text;
    learn::HookType hook = learn::HookType::kStatement;
  };
  const std::vector<std::string> hours = hour_slots(c.free).hours;
  std::map<std::string, size_t> hour_index;
  for (size_t i = 0; i < hours.size(); ++i) hour_index.emplace(hours[i], i);
  std::vector<Best> bests(hours.size());
  for (const auto& t : topics) {
    const HourSlots& slots = c.hours.at(t);
    for (learn::HookType h : learn::kAllHookTypes) {
      std::mt19937_64 draft_rng(rng());
      const std::string draft = compose_offline({in.topic_name(t), h, "", ""}, draft_rng);
      if (check_draft(draft, in.topic_name(t), in.recent)) continue;
      for (const auto& at : slots.hours) {
        const double r = in.oracle_score(draft, slots.first_slot.at(at));
        Best& b = bests[hour_index.at(at)];
        if (r > b.r) b = {r, t, draft, h};
      }
    }
  }
  std::vector<double> value;
  for (const Best& b : bests) value.push_back(b.r);
  const std::optional<size_t> pick = NextPost(c, hours, o.min_spacing_hours).pick(value);
  const Best chosen = pick ? bests[*pick] : Best{};
  const std::string topic = pick ? chosen.topic : topics.front();
  const std::string hour = pick ? hours[*pick] : c.hours.at(topic).hours.front();
  const learn::HookType hook = chosen.hook;
  const std::string& text = chosen.text;
  const double best = chosen.r;
  // The persona is invisible to the audience: one that writes in the hook.
  std::vector<std::string> fitting;
  for (const auto& p : c.personas) {
    for (learn::HookType ph : persona_hooks(p))
      if (ph == hook) fitting.push_back(p);
  }
  FamilyChoice persona = sample(uniform(fitting.empty() ? c.personas : fitting), rng);
  const double p = rule.p_branch * persona.p;
  Plan plan = assemble(c, rule, within_branch(certain(topic), rule),
                       certain(learn::hook_name(hook)), std::move(persona), certain(hour));
  plan.text = text;
  plan.whole = {p, 0, "exact"};
  plan.rationale["policy"] = policy_name(o.policy);
  plan.rationale["oracle_expected_reward"] = best;
  return plan;
}

}  // namespace gl::plan
