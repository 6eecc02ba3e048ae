// The best possible policy, for benchmarks: a scorer of the hidden truth (the
// caller's; x-sandbox's POST /sandbox/score in the tools) rates an offline
// draft of every topic and hook at every free hour of the topic. (Rating the
// drafts at the first free slot and then the hours for the best draft missed
// a topic that wins only at some hours: in evening_topic.json the oracle never
// posted focus in the evening, the audience's best plan.)
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
  double best = -1e300;
  std::string topic = topics.front(), text, hour = c.hours.at(topic).hours.front();
  learn::HookType hook = learn::HookType::kStatement;
  for (const auto& t : topics) {
    const HourSlots& slots = c.hours.at(t);
    for (learn::HookType h : learn::kAllHookTypes) {
      std::mt19937_64 draft_rng(rng());
      const std::string draft = compose_offline({in.topic_name(t), h, "", ""}, draft_rng);
      if (check_draft(draft, in.topic_name(t), in.recent)) continue;
      for (const auto& at : slots.hours) {
        const double r = in.oracle_score(draft, slots.first_slot.at(at));
        if (r > best) {
          best = r;
          topic = t;
          hook = h;
          text = draft;
          hour = at;
        }
      }
    }
  }
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
