// plan-post's run: load what the planner reads, then per post choose a plan
// (lib/plan), draft its text (plan::Drafter), predict, and queue it.
#include "jobs/plan_post.h"

#include <cmath>
#include <random>

#include "core/error.h"
#include "core/json_lines.h"
#include "core/timezone.h"
#include "jobs/plan_inputs.h"
#include "jobs/policy_estimates.h"
#include "jobs/training.h"
#include "learn/predictor.h"
#include "learn/text_features.h"
#include "llm/client.h"
#include "plan/candidates.h"
#include "plan/drafter.h"
#include "plan/planner.h"
#include "x/tweet_text.h"

namespace gl::jobs {

namespace {

// Hooks plan-post sets aside for one plan before it gives up (of 8).
constexpr size_t kMaxHooksSetAside = 3;

// The posts queued ahead of `now` for `account` (SQL expressions).
std::string queued_ahead(const std::string& account, const std::string& now) {
  return "(SELECT count(*) FROM content_metadata WHERE account_id = " + account +
         " AND status = 'queued' AND scheduled_at > " + now + ")";
}
constexpr const char* kInsert =
    "INSERT INTO content_metadata (account_id, generator_name, topic, formula_name, hook_type, "
    "  format, tags, content, predicted_engagement, predicted_views, choice_probabilities, "
    "  rationale, status, scheduled_at, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, 'single', $6::text[], $7, $8, $9, $10::jsonb, $11::jsonb, "
    "  'queued', $12, $13, $13) RETURNING decision_id::text";

// The stored predictor's view of the post (for the dashboard and the predictor's
// own error): only the targets whose model beat the mean on held-out posts.
learn::Prediction predict(const std::optional<StoredPredictor>& predictor,
                          const plan::PlanInputs& in, const plan::Plan& plan,
                          const std::string& text) {
  if (!predictor) return {};
  double spacing = 24;
  for (const TimePoint& s : in.scheduled) {
    if (s < plan.slot) spacing = std::min(spacing, hours_between(s, plan.slot));
  }
  const LocalTime local = to_local(plan.slot, in.timezone);
  return predictor->predict({text,
                             plan.topic,
                             plan.persona,
                             plan.formula.value_or(""),
                             local.hour,
                             local.weekday,
                             spacing,
                             {}});
}

int posts_to_plan(db::AccountRun& run, const PlanPostOptions& o, TimePoint now) {
  if (o.fill_to <= 0) return o.count;
  pqxx::read_transaction t(run.conn);
  const auto queued =
      t.exec_params1("SELECT " + queued_ahead("$1", "$2"), run.account.id, format_iso8601(now))[0]
          .as<long long>();
  return std::max(0, o.fill_to - static_cast<int>(queued));
}

Json nullable(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

// The spread the account's last plan under --exploration auto used.
constexpr const char* kLastAutoSpread =
    "SELECT (rationale->'exploration'->>'chosen')::float8 FROM content_metadata "
    "WHERE account_id = $1 AND created_at <= $2 AND rationale->'exploration' ? 'chosen' "
    "ORDER BY created_at DESC, decision_id DESC LIMIT 1";

// --exploration auto: the spread to draw with, and why (for every plan's rationale).
Json choose_spread(db::AccountRun& run, plan::PlanOptions& plan) {
  pqxx::read_transaction t(run.conn);
  const auto last = t.exec_params(kLastAutoSpread, run.account.id, format_iso8601(run.now));
  const double current = last.empty() ? plan.exploration : last[0][0].as<double>();
  const AutoExploration a = auto_exploration(t, run.account.id, run.now, current);
  plan.exploration = a.choice.exploration;
  run.ctx.log.info("exploration auto: {} ({})", plan.exploration, a.choice.reason);
  return a.evidence;
}

}  // namespace

int plan_post(db::AccountRun& run, const PlanPostOptions& o) {
  const TimePoint now = run.now;
  std::mt19937_64 rng(o.seed ? o.seed : std::random_device{}());
  if (!run.account.posting) {
    run.ctx.log.info("@{} has posting off (accounts add {} --posting on): nothing planned",
                     run.account.handle, run.account.handle);
    run.stats["planned"] = 0;
    run.stats["posting"] = false;
    return 0;
  }
  // Under cron most runs find the queue full: they stop before loading (and fitting) anything.
  const int to_plan = posts_to_plan(run, o, now);
  if (to_plan == 0) {
    run.stats["planned"] = 0;
    return 0;
  }
  PlanPostOptions options = o;
  Json exploration;
  if (o.auto_exploration && o.plan.policy == plan::Policy::kThompson)
    exploration = choose_spread(run, options.plan);
  plan::PlanInputs in = load_plan_inputs(run, now, o.plan.policy);
  if (in.topics.empty() && in.trending.empty()) {
    throw usage_error("account @" + run.account.handle,
                      "has no topics to write about: add some with accounts add " +
                          run.account.handle + " --topic \"...\" --topic \"...\"");
  }
  if (in.personas.empty())
    throw failure("generators", "every persona is disabled; enable one in the generators table");
  std::optional<StoredPredictor> predictor;
  {
    pqxx::read_transaction t(run.conn);
    predictor = current_predictor(t, run.account.id, "single", now);
  }
  std::optional<llm::LlmClient> llm;
  if (const auto config = llm::llm_config_from_env(true)) llm.emplace(*config, run.ctx.log);
  const plan::Drafter drafter(in, options.plan, llm ? &*llm : nullptr);

  int planned = 0;
  for (; planned < to_plan; ++planned) {
    if (plan::candidate_slots(in, options.plan).empty()) {
      run.ctx.log.info("no slot free in the next two days (spacing {} h, cap {} a day)",
                       options.plan.min_spacing_hours, options.plan.daily_cap);
      break;
    }
    // A hook whose drafts all read as recent posts (the offline composer has
    // a few dozen texts per topic and hook, and a learner that has found its
    // best plan asks for the same one again) is set aside and the plan chosen
    // again without it, at most kMaxHooksSetAside times: the logged
    // probabilities are those of the choice made, among the hooks left.
    plan::PlanOptions choice = options.plan;
    std::vector<std::string> set_aside;
    plan::Plan p;
    plan::Draft draft;
    for (;;) {
      p = plan::choose_plan(in, choice, rng);
      try {
        draft = drafter.write(p, rng);
        break;
      } catch (const plan::NoDraft& e) {
        if (set_aside.size() >= kMaxHooksSetAside) throw;
        run.ctx.log.info("{}: {}; planning again without the hook {}", e.subject(), e.reason(),
                         p.hook);
        choice.excluded_hooks.insert(p.hook);
        set_aside.push_back(p.hook);
      }
    }
    if (!set_aside.empty()) p.rationale["hooks_set_aside"] = set_aside;
    if (draft.llm_error)
      run.ctx.log.warn("LLM failed ({}); used the offline composer", *draft.llm_error);
    draft.describe(p.rationale);
    p.rationale["local_hour"] = p.hour;
    if (!exploration.is_null()) p.rationale["exploration"] = exploration;
    if (const plan::Formula* f = p.formula ? in.formula(*p.formula) : nullptr)
      p.rationale["formula"] = {{"name", f->name}, {"structure", f->structure}};
    const learn::Prediction predicted = predict(predictor, in, p, draft.text);
    const learn::TextFeatures tf = learn::analyze_text(draft.text);
    const std::string hook = learn::hook_name(tf.hook);
    const std::vector<std::string> tags = learn::post_tags(tf);
    const Json probabilities = plan::probabilities_json(p);
    std::optional<std::string> decision_id;
    if (!run.ctx.common.dry_run) {
      pqxx::work w(run.conn);
      decision_id = w.exec_params1(kInsert, run.account.id, p.persona, p.topic, p.formula, hook,
                                   db::to_pg_array(tags), draft.text, predicted.engagement_rate,
                                   predicted.views, probabilities.dump(), p.rationale.dump(),
                                   format_iso8601(p.slot), format_iso8601(now))[0]
                        .as<std::string>();
      w.commit();
    }
    emit({{"decision_id", decision_id ? Json(*decision_id) : Json(nullptr)},
          {"generator", p.persona},
          {"topic", p.topic},
          {"formula", p.formula ? Json(*p.formula) : Json(nullptr)},
          {"hook", hook},
          {"scheduled_at", format_iso8601(p.slot)},
          {"text", draft.text},
          {"weighted_length", x::weighted_length(draft.text)},
          {"predicted",
           {{"views", nullable(predicted.views)},
            {"likes", nullable(predicted.likes)},
            {"engagement_rate", nullable(predicted.engagement_rate)}}},
          {"probabilities", probabilities},
          {"rationale", p.rationale},
          {"dry_run", run.ctx.common.dry_run}});
    plan::remember(in, p, draft.text);
  }
  run.stats["planned"] = planned;
  return 0;
}

std::string plan_due_accounts_sql(int fill_to) {
  return "SELECT account_id FROM accounts a WHERE " + queued_ahead("a.account_id", "$1") + " < " +
         std::to_string(fill_to);
}

}  // namespace gl::jobs
