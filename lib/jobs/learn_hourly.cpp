#include "jobs/learn_hourly.h"

#include "core/json_lines.h"
#include "jobs/arms.h"
#include "jobs/extract_formulas.h"
#include "jobs/learning_data.h"
#include "jobs/training.h"

namespace gl::jobs {

namespace {

// The best `n` arms of a family: their keys, and their numbers beside.
void top_arms(pqxx::transaction_base& t, const LearningScope& scope, const std::string& family,
              size_t n, Json& names, Json& details) {
  names = Json::array();
  details = Json::array();
  for (const auto& a : rank_arms(arm_stats(t, scope, family, true))) {
    if (names.size() == n) break;
    if (family == "hour") {
      names.push_back(std::stoi(a.key));
    } else {
      names.push_back(a.key);
    }
    details.push_back({{"key", a.key},
                       {"posts", a.posts},
                       {"mean_reward", a.mean_reward},
                       {"confidence", a.confidence}});
  }
}

// Followers gained per 1000 views by a dimension, best first (at least 2 posts).
Json follower_drivers(pqxx::transaction_base& t, const LearningScope& scope,
                      const std::string& dim) {
  Json out = Json::array();
  for (const auto& r : LearningQuery(scope).exec(
           t, "SELECT " + dim +
                  "::text, count(*), 1000 * sum(lp.followers_gained) / nullif(sum(lp.impressions), "
                  "0) FROM gated lp WHERE lp.followers_gained IS NOT NULL "
                  "GROUP BY 1 HAVING count(*) >= 2 ORDER BY 3 DESC NULLS LAST, 1 LIMIT 3")) {
    if (r[2].is_null()) continue;
    out.push_back({{"key", r[0].as<std::string>()},
                   {"posts", r[1].as<long long>()},
                   {"followers_per_1000_views", r[2].as<double>()}});
  }
  return out;
}

// The summary of one format's learning (top topics, hours, hooks, generators, follower drivers).
Json learning_summary(db::AccountRun& run, const std::string& format) {
  const LearningScope scope{run.account.id, run.now, format};
  pqxx::read_transaction t(run.conn);
  Json s = gate_report(t, scope);
  Json details = Json::object();
  top_arms(t, scope, "topic", 3, s["top_performing_topics"], details["topics"]);
  top_arms(t, scope, "hour", 3, s["best_posting_hours"], details["hours"]);
  top_arms(t, scope, "hook", 3, s["effective_hooks"], details["hooks"]);
  Json generators = Json::object();
  for (const auto& r : LearningQuery(scope).exec(
           t,
           "SELECT lp.generator_name, avg(lp.engagement_rate) FROM gated lp "
           "WHERE lp.engagement_rate IS NOT NULL GROUP BY 1 ORDER BY 2 DESC")) {
    generators[r[0].as<std::string>()] = r[1].as<double>();
  }
  s["generator_performance"] = generators;
  s["follower_drivers"] = {{"topic", follower_drivers(t, scope, "lower(lp.topic)")},
                           {"generator", follower_drivers(t, scope, "lp.generator_name")},
                           {"hook", follower_drivers(t, scope, "lp.hook_type")},
                           {"hour", follower_drivers(t, scope, "lp.posted_hour_local")}};
  s["confidence"] = details;
  return s;
}

}  // namespace

int learn_hourly(db::AccountRun& run) {
  Json summary = learning_summary(run, "single");
  summary["format"] = "single";
  summary["at"] = format_iso8601(run.now);
  summary["predictor"] = train_predictor(run, "single");
  Json others = Json::object();
  for (const std::string format : {"thread", "reply"}) {
    Json s = learning_summary(run, format);
    if (s["posts_used"].get<long long>() == 0) continue;
    s["predictor"] = train_predictor(run, format);
    others[format] = s;
  }
  if (!others.empty()) summary["other_formats"] = others;
  // Formula confidence follows the newest numbers.
  long long formulas = 0;
  for (const auto& [format, fs] : refresh_formulas(run))
    formulas += static_cast<long long>(fs.size());
  summary["formulas"] = formulas;
  if (!run.ctx.common.dry_run) {
    pqxx::work w(run.conn);
    w.exec_params0(
        "INSERT INTO learning_summaries (account_id, created_at, summary) VALUES ($1, $2, "
        "$3::jsonb)",
        run.account.id, format_iso8601(run.now), summary.dump());
    w.commit();
  }
  run.stats["posts_used"] = summary["posts_used"];
  run.stats["posts_skipped"] = summary["posts_skipped"];
  run.stats["predictor_trained"] = summary["predictor"].value("trained", false);
  emit(summary);
  return 0;
}

}  // namespace gl::jobs
