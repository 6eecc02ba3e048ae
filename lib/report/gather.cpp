#include "report/gather.h"

#include <fmt/format.h>

#include <cmath>

#include "jobs/arms.h"
#include "jobs/learning_sql.h"
#include "jobs/policy_estimates.h"
#include "learn/bandit.h"
#include "learn/stats.h"

namespace gl::report {

namespace {

// The format the report is about: the learners' main one.
constexpr const char* kFormat = "single";
// The tools of crontab.example: the report names each, run or not.
constexpr const char* kScheduledTools[] = {"plan-post",         "publish",      "scrape-metrics",
                                           "update-generators", "learn-hourly", "aggregate",
                                           "extract-formulas",  "harvest",      "evaluate"};

const char* const kGatesHint =
    "scrape-metrics collects metrics every 10 minutes; the learners need views >= 100, "
    "likes >= 5, age >= 2 h";

LearningCurve read_curve(pqxx::transaction_base& t, const jobs::LearningScope& scope) {
  LearningCurve c;
  for (const auto& r : jobs::LearningQuery(scope).exec(
           t,
           "SELECT to_char(date_trunc('week', lp.posted_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD'), "
           "count(*), avg(lp.reward), stddev_samp(lp.reward) "
           "FROM scored lp GROUP BY 1 ORDER BY 1")) {
    WeekReward w;
    w.week_start = r[0].as<std::string>();
    w.posts = r[1].as<long long>();
    w.mean_reward = r[2].as<double>();
    if (!r[3].is_null()) {  // one post has no spread to give an interval
      const double half = learn::kEvidenceZ * r[3].as<double>() / std::sqrt(double(w.posts));
      w.low = w.mean_reward - half;
      w.high = w.mean_reward + half;
    }
    c.weeks.push_back(w);
  }
  if (c.weeks.empty())
    c.missing = std::string("no gated posts yet: ") + kGatesHint +
                "; the curve shows their reward per week";
  // evaluate's latest run: each policy's doubly robust estimate (the logged
  // policy's realised value, x-sandbox's truth where it was scored).
  const auto latest = jobs::latest_policy_estimates(t, scope.account_id, scope.now);
  if (!latest) {
    c.estimates_note =
        "off-policy estimates of random and of the current policy: run evaluate --account "
        "HANDLE (daily in crontab.example; README, Did the learning pay?)";
    return c;
  }
  long long posts = 0;
  for (const auto& s : latest->estimates) {
    if (s.estimator == "ips" || s.estimator == "snips") continue;
    posts = std::max(posts, s.posts);
    c.estimates.push_back({s.policy, s.estimator, s.value, s.ci_low, s.ci_high, s.warning});
  }
  c.estimates_note = fmt::format(
      "evaluate of {} on {} logged posts with the whole plan's probability; dr is the doubly "
      "robust estimate with its 95% bootstrap interval",
      format_iso8601(latest->evaluated_at), posts);
  return c;
}

WhenToPost read_when(pqxx::transaction_base& t, const jobs::LearningScope& scope,
                     const std::string& timezone) {
  WhenToPost w;
  w.timezone = timezone;
  // The same decayed arm statistics and evidence rule as the summary's hours.
  const auto arms = jobs::arm_stats(t, scope, "slot", /*decay=*/true);
  const auto post = learn::arm_posteriors(arms);
  if (!arms.empty()) w.account_mean = post.prior_mean;
  for (const auto& a : arms) {
    HeatCell c;
    if (std::sscanf(a.key.c_str(), "%d-%d", &c.weekday, &c.hour) != 2) continue;
    const auto& p = post.by_key.at(a.key);
    const auto e = learn::evidence_of(p, a.pulls, post.prior_mean);
    c.posts = a.pulls;
    c.mean_reward = p.mean;
    c.effect = e.effect;
    c.confidence = e.confidence;
    c.sufficient = e.sufficient;
    w.cells.push_back(c);
  }
  if (w.cells.empty())
    w.missing = std::string("no gated posts yet, so no hour is known: ") + kGatesHint;
  return w;
}

const char* const kFamilies[] = {"topic", "hour", "hook", "persona", "formula"};

// A number of the stored summary; `fallback` where it is missing or null.
double number(const Json& j, const char* key, double fallback = 0) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

double element(const Json& j, const char* key, size_t i) {
  return j.contains(key) && j[key].is_array() && j[key].size() > i && j[key][i].is_number()
             ? j[key][i].get<double>()
             : 0;
}

RankedItem item_of(const Json& j, bool sufficient) {
  RankedItem i;
  i.key = j.at("key").is_string() ? j.at("key").get<std::string>() : j.at("key").dump();
  i.posts = static_cast<long long>(number(j, "posts"));
  i.effect = number(j, "effect");
  i.low = element(j, "interval", 0);
  i.high = element(j, "interval", 1);
  i.confidence = number(j, "confidence", 0.5);
  i.sufficient = sufficient;
  if (j.contains("mean_engagement_rate") && j["mean_engagement_rate"].is_number())
    i.engagement_rate = j["mean_engagement_rate"].get<double>();
  return i;
}

WhatWorks read_works(pqxx::transaction_base& t, long long account_id, const std::string& now,
                     Json& summary) {
  WhatWorks w;
  const auto r = t.exec_params(
      "SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), summary "
      "FROM learning_summaries WHERE account_id = $1 AND created_at <= $2 "
      "ORDER BY created_at DESC, summary_id DESC LIMIT 1",
      account_id, now);
  if (r.empty()) {
    w.missing =
        "no learning summary yet: learn-hourly writes one every hour (crontab.example); it ranks "
        "what has gated posts";
    summary = Json::object();
    return w;
  }
  w.summary_at = r[0][0].as<std::string>();
  summary = Json::parse(r[0][1].as<std::string>());
  w.posts_used = static_cast<long long>(number(summary, "posts_used"));
  const Json skipped = summary.value("posts_skipped", Json::object());
  for (const auto& [k, v] : skipped.items())
    if (v.is_number()) w.posts_skipped[k] = v.get<long long>();
  if (summary.value("account_mean_reward", Json()).is_number())
    w.account_mean_reward = summary["account_mean_reward"].get<double>();
  const Json ranked = summary.value("ranked", Json::object());
  const Json insufficient = summary.value("insufficient_evidence", Json::object());
  for (const char* f : kFamilies) {
    FamilyRanking fr{f, {}};
    for (const auto& j : ranked.value(f, Json::array())) fr.items.push_back(item_of(j, true));
    for (const auto& j : insufficient.value(f, Json::array()))
      fr.items.push_back(item_of(j, false));
    w.families.push_back(fr);
  }
  if (summary.contains("stale_data")) {
    const Json& s = summary["stale_data"];
    w.stale = fmt::format(
        FMT_STRING("the newest gated post is {:.0f} days old ({}): rankings are withheld until "
                   "new posts pass the gates"),
        number(s, "days_since_newest_post"),
        s.contains("newest_post") && s["newest_post"].is_string()
            ? s["newest_post"].get<std::string>()
            : "");
  }
  // The formulas learned (from the account's posts, imported ones included, and
  // outside ones), which the family's rankings know only once posts use them.
  w.formulas_learned =
      t.exec_params1("SELECT count(*) FROM viral_formulas WHERE account_id = $1 AND format = $2",
                     account_id, kFormat)[0]
          .as<long long>();
  // Each formula with its real example, as extract-formulas stored it.
  for (auto& fr : w.families) {
    if (fr.family != "formula") continue;
    for (auto& i : fr.items) {
      const auto f = t.exec_params(
          "SELECT example, structure FROM viral_formulas WHERE account_id = $1 "
          "AND (name = $2 OR formula_key = $2) ORDER BY (format = $3) DESC, confidence DESC "
          "LIMIT 1",
          account_id, i.key, kFormat);
      if (f.empty()) continue;
      i.example = f[0][0].as<std::string>();
      i.structure = f[0][1].as<std::string>();
    }
  }
  return w;
}

Followers read_followers(pqxx::transaction_base& t, long long account_id, const std::string& now,
                         const Json& summary) {
  Followers f;
  // At most ~400 points: every k-th snapshot, plus the newest.
  for (const auto& r : t.exec_params(
           "SELECT extract(epoch FROM taken_at)::float8, "
           "  to_char(taken_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
           "  followers_count FROM ("
           "  SELECT *, row_number() OVER (ORDER BY taken_at) AS i, count(*) OVER () AS n "
           "  FROM follower_snapshots WHERE account_id = $1 AND taken_at <= $2) s "
           "WHERE (i - 1) % greatest(1, n / 400) = 0 OR i = n ORDER BY taken_at",
           account_id, now)) {
    f.series.push_back({r[0].as<double>(), r[1].as<std::string>(), r[2].as<long long>()});
  }
  const auto total = t.exec_params(
      "SELECT coalesce(sum(followers_gained), 0)::float8, "
      "  coalesce(sum(confidence * share) / nullif(sum(share), 0), 0)::float8 "
      "FROM follower_attribution WHERE account_id = $1 AND window_end <= $2",
      account_id, now);
  f.attributed_total = total[0][0].as<double>();
  f.mean_confidence = total[0][1].as<double>();
  for (const auto& r : t.exec_params(
           "SELECT fa.tweet_id, cm.content, cm.topic, sum(fa.followers_gained)::float8, "
           "  coalesce(sum(fa.confidence * fa.share) / nullif(sum(fa.share), 0), "
           "           avg(fa.confidence))::float8, count(*) "
           "FROM follower_attribution fa JOIN content_metadata cm USING (account_id, decision_id) "
           "WHERE fa.account_id = $1 AND fa.window_end <= $2 "
           "GROUP BY fa.tweet_id, cm.content, cm.topic ORDER BY 4 DESC, 1 LIMIT 5",
           account_id, now)) {
    f.top_posts.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                           r[3].as<double>(), r[4].as<double>(), r[5].as<long long>()});
  }
  const Json drivers = summary.value("follower_drivers", Json::object());
  for (const auto& [dim, entries] : drivers.items()) {
    for (const auto& e : entries)
      f.drivers.push_back(
          {dim, e.contains("key") && e["key"].is_string() ? e["key"].get<std::string>() : "",
           static_cast<long long>(number(e, "posts")), number(e, "followers_per_1000_views")});
  }
  if (f.series.empty())
    f.missing =
        "no follower snapshots yet: scrape-metrics reads the account's followers on every run "
        "(every 10 minutes in crontab.example)";
  else if (f.top_posts.empty())
    f.missing =
        "no follower change attributed to a post yet: attribution needs two snapshots with a "
        "posted tweet live between them";
  return f;
}

Predictor read_predictor(pqxx::transaction_base& t, long long account_id, const std::string& now) {
  Predictor p;
  const auto r = t.exec_params(
      "SELECT version, to_char(trained_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
      "metrics FROM predictor_models WHERE account_id = $1 AND format = $2 AND trained_at <= $3 "
      "ORDER BY version DESC LIMIT 1",
      account_id, kFormat, now);
  if (!r.empty()) {
    p.version = r[0][0].as<long long>();
    p.trained_at = r[0][1].as<std::string>();
    const Json m = Json::parse(r[0][2].as<std::string>());
    p.used_for_planning = m.contains("used_for_planning") && m["used_for_planning"] == true;
    const Json targets = m.value("targets", Json::object());
    for (const auto& [name, j] : targets.items()) {
      TargetFit fit;
      fit.target = name;
      fit.trained = j.contains("trained") && j["trained"] == true;
      fit.reason =
          j.contains("reason") && j["reason"].is_string() ? j["reason"].get<std::string>() : "";
      const auto num = [&](const char* k) { return number(j, k); };
      fit.train_samples = static_cast<long long>(num("train_samples"));
      fit.holdout_samples = static_cast<long long>(num("holdout_samples"));
      fit.holdout_rmse = num("holdout_rmse");
      fit.baseline_rmse = num("baseline_rmse");
      fit.spearman = num("holdout_spearman");
      fit.r2 = num("holdout_r2");
      fit.beats_mean = j.contains("beats_mean") && j["beats_mean"] == true;
      p.targets.push_back(fit);
    }
  }
  // Predictions made when each post was planned, before X saw it: held out by construction.
  for (const auto& row : t.exec_params(
           "SELECT predicted_views, actual_impressions::float8, predicted_engagement, "
           "  actual_engagement_rate FROM content_metadata "
           "WHERE account_id = $1 AND status = 'posted' AND format = $2 AND posted_at <= $3 "
           "AND (predicted_views IS NOT NULL OR predicted_engagement IS NOT NULL) "
           "ORDER BY posted_at DESC LIMIT 300",
           account_id, kFormat, now)) {
    if (!row[0].is_null() && !row[1].is_null())
      p.views.push_back({row[0].as<double>(), row[1].as<double>()});
    if (!row[2].is_null() && !row[3].is_null())
      p.engagement_rates.push_back({row[2].as<double>(), row[3].as<double>()});
  }
  if (!p.version)
    p.missing = std::string(
                    "no predictor trained yet: learn-hourly trains it hourly from gated "
                    "posts (") +
                kGatesHint + ")";
  return p;
}

Queue read_queue(pqxx::transaction_base& t, long long account_id, const std::string& tz) {
  Queue q;
  for (const auto& r : t.exec_params(
           "SELECT to_char(scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
           "  to_char(scheduled_at AT TIME ZONE $2, 'Dy YYYY-MM-DD HH24:MI'), content, topic, "
           "  generator_name, coalesce(hook_type, ''), coalesce(formula_name, ''), "
           "  coalesce(rationale, '{}'::jsonb), coalesce(choice_probabilities, '{}'::jsonb), "
           "  predicted_views, predicted_engagement "
           "FROM content_metadata WHERE account_id = $1 AND status IN ('queued', 'posting') "
           "ORDER BY scheduled_at, decision_id LIMIT 50",
           account_id, tz)) {
    QueuedPost p;
    p.scheduled_at = r[0].as<std::string>();
    p.local_slot = r[1].as<std::string>();
    p.content = r[2].as<std::string>();
    p.topic = r[3].as<std::string>();
    p.persona = r[4].as<std::string>();
    p.hook = r[5].as<std::string>();
    p.formula = r[6].as<std::string>();
    const Json rationale = Json::parse(r[7].as<std::string>());
    const Json probs = Json::parse(r[8].as<std::string>());
    p.policy = rationale.contains("policy") && rationale["policy"].is_string()
                   ? rationale["policy"].get<std::string>()
                   : "";
    for (const auto& [family, c] : probs.items()) {
      if (!c.is_object()) continue;
      if (family == "plan") {
        if (c.contains("p") && c["p"].is_number()) p.plan_p = c["p"].get<double>();
        continue;
      }
      if (!c.contains("p") || !c["p"].is_number()) continue;
      const Json& chosen = c.value("chosen", Json());
      p.choices.push_back({family, chosen.is_string() ? chosen.get<std::string>() : chosen.dump(),
                           c["p"].get<double>()});
    }
    if (!r[9].is_null()) p.predicted_views = r[9].as<double>();
    if (!r[10].is_null()) p.predicted_engagement = r[10].as<double>();
    q.posts.push_back(p);
  }
  if (q.posts.empty())
    q.missing =
        "nothing queued: plan-post plans hourly and keeps three posts queued (crontab.example: "
        "plan-post --fill-to 3)";
  return q;
}

Operations read_operations(pqxx::transaction_base& t, long long account_id,
                           const std::string& now) {
  Operations o;
  std::map<std::string, ToolStatus> by_tool;
  for (const char* tool : kScheduledTools) by_tool[tool].tool = tool;
  // The business clock (--now) of each run: what the loop reasoned with.
  const std::string ts =
      "to_char(business_now AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
  for (const auto& r : t.exec_params(
           "SELECT tool, count(*), count(*) FILTER (WHERE status IN ('failed', 'stale')), "
           "  max(" +
               ts +
               ") FILTER (WHERE status = 'ok') "
               "FROM job_runs WHERE account_id = $1 AND business_now <= $2 AND status <> 'running' "
               "GROUP BY tool",
           account_id, now)) {
    ToolStatus& s = by_tool[r[0].as<std::string>()];
    s.tool = r[0].as<std::string>();
    s.runs = r[1].as<long long>();
    s.failures = r[2].as<long long>();
    if (!r[3].is_null()) s.last_ok_at = r[3].as<std::string>();
  }
  for (const auto& r : t.exec_params(
           "SELECT DISTINCT ON (tool) tool, " + ts +
               ", exit_code, coalesce(error, status) "
               "FROM job_runs WHERE account_id = $1 AND business_now <= $2 "
               "AND status IN ('failed', 'stale') ORDER BY tool, business_now DESC, run_id DESC",
           account_id, now)) {
    ToolStatus& s = by_tool[r[0].as<std::string>()];
    s.last_failure_at = r[1].as<std::string>();
    if (!r[2].is_null()) s.last_exit_code = r[2].as<int>();
    s.last_error = r[3].as<std::string>();
  }
  for (auto& [name, s] : by_tool) o.tools.push_back(s);
  bool any = false;
  for (const auto& s : o.tools) any = any || s.runs > 0;
  if (!any)
    o.missing = "no tool has run for this account yet: install crontab.example (README, Cron)";
  // api_usage comes with harvest's migration; a schema without it records no spend.
  o.usage_recorded = t.exec("SELECT to_regclass('api_usage') IS NOT NULL")[0][0].as<bool>();
  if (!o.usage_recorded) {
    o.spend_missing =
        "API spend is not recorded by this build: the api_usage table comes with the harvest "
        "tool's migration";
    return o;
  }
  for (const auto& r : t.exec_params(
           "SELECT to_char(called_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), sum(requests), "
           "  sum(resources), sum(cost_usd)::float8 FROM api_usage "
           "WHERE account_id = $1 AND called_at <= $2 GROUP BY 1 ORDER BY 1 DESC LIMIT 31",
           account_id, now)) {
    o.spend.push_back(
        {r[0].as<std::string>(), r[1].as<long long>(), r[2].as<long long>(), r[3].as<double>()});
  }
  if (o.spend.empty())
    o.spend_missing = "no call to X recorded yet: every tool that calls X records it in api_usage";
  return o;
}

}  // namespace

Report gather(db::AccountRun& run) {
  Report r;
  r.handle = run.account.handle;
  r.timezone = run.account.timezone;
  r.generated_at = format_iso8601(run.now);
  const jobs::LearningScope scope{run.account.id, run.now, kFormat};
  pqxx::read_transaction t(run.conn);
  r.curve = read_curve(t, scope);
  r.when = read_when(t, scope, r.timezone);
  Json summary;
  r.works = read_works(t, run.account.id, r.generated_at, summary);
  for (const auto& h : summary.value("best_posting_hours", Json::array()))
    if (h.is_number_integer()) r.when.best_hours.push_back(h.get<int>());
  r.followers = read_followers(t, run.account.id, r.generated_at, summary);
  r.predictor = read_predictor(t, run.account.id, r.generated_at);
  // Why learn-hourly did not train, in its own words.
  const Json trained = summary.value("predictor", Json::object());
  if (!r.predictor.version && trained.contains("reason") && trained["reason"].is_string())
    r.predictor.missing += "; the last learn-hourly said: " + trained["reason"].get<std::string>();
  r.queue = read_queue(t, run.account.id, r.timezone);
  r.operations = read_operations(t, run.account.id, r.generated_at);
  return r;
}

}  // namespace gl::report
