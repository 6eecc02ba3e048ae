#include "jobs/evaluate.h"

#include <fmt/format.h>

#include <cmath>
#include <iostream>
#include <random>

#include "core/error.h"
#include "core/json_lines.h"
#include "core/timezone.h"
#include "jobs/evaluate_policy.h"
#include "jobs/learning_sql.h"
#include "jobs/plan_inputs.h"
#include "jobs/policy_estimates.h"
#include "learn/off_policy.h"
#include "learn/stats.h"
#include "learn/text_features.h"
#include "plan/composer.h"

namespace gl::jobs {

namespace {

// Folds of the cross-fitted direct model.
constexpr size_t kDirectModelFolds = 5;

// A gated post of the scope and what was logged when it was planned.
struct LoggedPost {
  double reward = 0;
  std::string content;
  TimePoint planned_at, posted_at;
  std::optional<LoggedContext> context;  // none: no whole-plan probability logged
};

std::vector<LoggedPost> load_logged_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                          std::optional<TimePoint> since) {
  LearningQuery q(scope);
  const std::string from =
      q.bind(since ? std::chrono::duration_cast<Seconds>(since->time_since_epoch()).count() : 0);
  const auto rows = q.exec(
      t,
      "SELECT lp.reward, cm.choice_probabilities::text, "
      "  extract(epoch FROM lp.collected_at - lp.posted_at)::float8 / 3600, lp.content, "
      "  extract(epoch FROM cm.created_at)::float8, extract(epoch FROM lp.posted_at)::float8 "
      "FROM scored lp JOIN content_metadata cm "
      "  ON cm.account_id = lp.account_id AND cm.decision_id = lp.decision_id "
      "WHERE lp.posted_at >= to_timestamp(" +
          from + ") ORDER BY lp.posted_at, lp.decision_id");
  std::vector<LoggedPost> out;
  for (const auto& r : rows) {
    LoggedPost p;
    p.reward = r[0].as<double>();
    if (!r[1].is_null()) {
      p.context = logged_context(nlohmann::json::parse(r[1].as<std::string>(), nullptr, false));
    }
    if (p.context) p.context->state = learn::maturity_features(r[2].as<double>());
    p.content = r[3].as<std::string>();
    p.planned_at = from_epoch_seconds(r[4].as<double>());
    p.posted_at = from_epoch_seconds(r[5].as<double>());
    out.push_back(std::move(p));
  }
  return out;
}

// Where a candidate plan of a logged post is scored: the last time on the
// hour at its local hour not after the logged post went out, so the logged
// post (which the plan would have replaced) never adds fatigue to it.
TimePoint slot_before(TimePoint posted_at, int hour, const std::string& tz) {
  TimePoint t = std::chrono::time_point_cast<std::chrono::hours>(posted_at);
  if (t > posted_at) t -= std::chrono::hours(1);
  for (int i = 0; i < 24; ++i, t -= std::chrono::hours(1)) {
    if (to_local(t, tz).hour == hour) return t;
  }
  return posted_at;
}

// The Monte-Carlo sd of IPS from estimating each target probability by a
// share of posterior draws (binomial).
double thompson_mc_error(const std::vector<learn::LoggedDecision>& d, int draws) {
  double var = 0;
  for (const auto& x : d) {
    if (x.logged_p <= 0) continue;
    const double p = std::min(1.0, x.target_p);
    var += std::pow(x.reward / x.logged_p, 2) * p * (1 - p) / draws;
  }
  return d.empty() ? 0 : std::sqrt(var) / static_cast<double>(d.size());
}

Json number_or_null(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

void print_table(const std::vector<Json>& lines) {
  std::cout << fmt::format(FMT_STRING("{:<22} {:<9} {:>7} {:>17} {:>6} {:>7} {:>5}  {}\n"),
                           "policy", "estimator", "value", "interval", "ess", "support", "posts",
                           "warning");
  for (const auto& j : lines) {
    const auto num = [&](const char* k) {
      return j.contains(k) && j[k].is_number()
                 ? fmt::format(FMT_STRING("{:.3f}"), j[k].get<double>())
                 : std::string("-");
    };
    const std::string interval =
        j.contains("ci_low") && j["ci_low"].is_number()
            ? fmt::format(FMT_STRING("[{:.3f}, {:.3f}]"), j["ci_low"].get<double>(),
                          j["ci_high"].get<double>())
            : "-";
    std::cout << fmt::format(
        FMT_STRING("{:<22} {:<9} {:>7} {:>17} {:>6} {:>7} {:>5}  {}\n"),
        j["policy"].get<std::string>(), j["estimator"].get<std::string>(), num("value"), interval,
        j.contains("ess") ? fmt::format(FMT_STRING("{:.1f}"), j["ess"].get<double>()) : "-",
        j.contains("support") ? fmt::format(FMT_STRING("{:.2f}"), j["support"].get<double>()) : "-",
        j.value("posts", 0),
        j.contains("warning") && j["warning"].is_string() ? j["warning"].get<std::string>() : "");
  }
}

}  // namespace

int evaluate(db::AccountRun& run, const EvaluateOptions& o) {
  std::vector<TargetPolicy> policies;
  for (const auto& spec : o.policies) policies.push_back(parse_target_policy(spec, o.exploration));
  std::vector<LoggedPost> posts;
  std::optional<learn::RewardModel> model;
  learn::ActionValues account_rates{};
  {
    pqxx::read_transaction t(run.conn);
    const LearningScope scope{run.account.id, run.now, "single"};
    posts = load_logged_posts(t, scope, o.since);
    const pqxx::row prior = LearningQuery(scope).exec(t, "SELECT * FROM prior").at(0);
    for (size_t a = 0; a < account_rates.size(); ++a)
      account_rates[a] = prior[static_cast<int>(a)].as<double>();
    model = fit_reward_model(t, run.account.id, run.now);
    t.commit();
  }
  std::vector<const LoggedPost*> usable;
  for (const auto& p : posts) {
    if (p.context) usable.push_back(&p);
  }
  const int unusable = static_cast<int>(posts.size() - usable.size());
  const PolicyModel policy_model(*model, o.draws, o.seed);
  // The direct model of DR, cross-fitted: each post's reward is predicted by
  // a reward model fitted on the other folds' posts only, so its error on the
  // post is an honest one (a model fitted on the post itself explains its
  // reward away, and DR's correction and interval with it).
  const size_t folds = std::min<size_t>(kDirectModelFolds, usable.size());
  std::vector<learn::RewardModel> direct;
  for (size_t f = 0; f < folds; ++f) {
    std::vector<learn::WeightedSample> samples;
    for (size_t i = 0; i < usable.size(); ++i) {
      if (folds > 1 && i % folds == f) continue;
      const LoggedContext& c = *usable[i]->context;
      learn::FeatureMap x =
          learn::choice_features(c.logged.topic, c.logged.hook, c.logged.persona, c.logged.hour);
      for (const auto& [k, v] : c.state) x[k] = v;
      samples.push_back({x, usable[i]->reward, 1});
    }
    direct.push_back(learn::RewardModel::fit(samples));
  }
  learn::OffPolicyOptions opo;
  opo.clip = o.clip;
  opo.min_logged_p = o.min_logged_p;
  opo.bootstrap = o.bootstrap;
  opo.seed = o.seed;

  plan::OracleScorer score;
  // The truth takes the reward as the learners do: rates smoothed toward the account's.
  if (o.truth_samples > 0) score = sandbox_scorer(run, account_rates);
  std::mt19937_64 truth_rng(o.seed);

  std::vector<Json> lines;
  const auto base = [&](const TargetPolicy& p, const char* estimator) {
    return Json{{"policy", p.spec},
                {"estimator", estimator},
                {"posts", usable.size()},
                {"unusable", unusable}};
  };
  for (const auto& policy : policies) {
    if (usable.empty()) {
      Json j = base(policy, "none");
      j["warning"] = "no logged post with the whole plan's probability";
      lines.push_back(j);
      continue;
    }
    std::vector<learn::LoggedDecision> decisions;
    std::vector<std::unique_ptr<ContextPolicy>> contexts;
    for (size_t i = 0; i < usable.size(); ++i) {
      const LoggedPost* p = usable[i];
      const LoggedContext& c = *p->context;
      if (policy.kind == PolicyKind::kLogged) {
        decisions.push_back({p->reward, c.logged_p, c.logged_p, 0, 0});
        continue;
      }
      auto cp = std::make_unique<ContextPolicy>(c, policy, policy_model);
      const learn::RewardModel& dm = direct[i % folds];
      decisions.push_back(
          {p->reward, c.logged_p, cp->logged_plan_p(), cp->model_logged(dm), cp->model_value(dm)});
      if (o.truth_samples > 0) contexts.push_back(std::move(cp));
    }
    if (policy.kind == PolicyKind::kLogged) {
      std::vector<double> rewards;
      for (const auto& d : decisions) rewards.push_back(d.reward);
      const learn::MeanInterval m = learn::bootstrap_mean(rewards, opo);
      Json j = base(policy, "realised");
      j.update({{"value", m.value},
                {"ci_low", number_or_null(m.ci_low)},
                {"ci_high", number_or_null(m.ci_high)},
                {"ess", static_cast<double>(rewards.size())},
                {"support", 1.0},
                {"warning", nullptr}});
      lines.push_back(j);
    } else {
      for (const auto& e : learn::evaluate_off_policy(decisions, opo)) {
        Json j = base(policy, learn::estimator_name(e.estimator));
        j.update({{"value", number_or_null(e.value)},
                  {"ci_low", number_or_null(e.ci_low)},
                  {"ci_high", number_or_null(e.ci_high)},
                  {"ess", e.support.ess},
                  {"support", e.support.share},
                  {"supported_posts", e.support.supported},
                  {"mean_weight", e.support.mean_weight},
                  {"warning", e.support.warning ? Json(*e.support.warning) : Json(nullptr)}});
        if (o.clip > 0) j["clip"] = o.clip;
        if (policy.kind == PolicyKind::kThompson) {
          j["exploration"] = policy.exploration;
          j["draws"] = o.draws;
          if (e.estimator == learn::Estimator::kIps)
            j["mc_error"] = thompson_mc_error(decisions, o.draws);
        }
        lines.push_back(j);
      }
    }
    if (o.truth_samples > 0) {
      // The truth: x-sandbox's expected reward of the logged post itself, or
      // of plans drawn from the target, each written by the offline composer
      // and posted at its hour's last slot up to the logged post (slot_before).
      // A target's truth is itself a Monte-Carlo mean: its sd (mc_error)
      // is the spread of each post's samples over their number, summed over
      // posts (0 for logged, whose posts are scored themselves).
      double total = 0, variance = 0;
      for (size_t i = 0; i < usable.size(); ++i) {
        const LoggedPost& p = *usable[i];
        if (policy.kind == PolicyKind::kLogged) {
          total += score(p.content, p.posted_at);
          continue;
        }
        std::vector<double> scores;
        for (const auto& c : contexts[i]->sample(o.truth_samples, truth_rng)) {
          plan::DraftRequest req;
          req.topic = c.topic;
          req.generator = c.persona;
          if (!learn::parse_hook(c.hook, req.hook)) req.hook = learn::HookType::kStatement;
          scores.push_back(score(plan::compose_offline(req, truth_rng),
                                 slot_before(p.posted_at, c.hour, run.account.timezone)));
        }
        total += learn::mean(scores);
        variance += learn::variance(scores) / static_cast<double>(scores.size());
      }
      const auto n = static_cast<double>(usable.size());
      Json j = base(policy, "truth");
      j["value"] = total / n;
      j["mc_error"] = std::sqrt(variance) / n;
      j["samples"] = policy.kind == PolicyKind::kLogged ? 1 : o.truth_samples;
      lines.push_back(j);
    }
  }
  if (!run.ctx.common.dry_run) {
    pqxx::work w(run.conn);
    store_policy_estimates(w, run.account.id, run.now, o.since, lines);
    w.commit();
  }
  if (o.table) {
    print_table(lines);
  } else {
    for (const auto& j : lines) emit(j);
  }
  run.stats["posts"] = usable.size();
  run.stats["unusable"] = unusable;
  run.stats["policies"] = policies.size();
  return 0;
}

}  // namespace gl::jobs
