#include "jobs/learn_hourly.h"

#include <algorithm>

#include "jobs/arms.h"
#include "jobs/extract_formulas.h"
#include "jobs/learning_data.h"
#include "jobs/training.h"

namespace gl::jobs {

namespace {

// The best `n` arms of a family: their keys, and their numbers beside.
void top_arms(pqxx::transaction_base& t, db::AccountRun& run, const std::string& format,
              const std::string& family, size_t n, Json& names, Json& details) {
  names = Json::array();
  details = Json::array();
  for (const auto& a :
       rank_arms(arm_stats(t, run.account.id, run.ctx.clock.now(), format, family, true))) {
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
Json follower_drivers(pqxx::transaction_base& t, db::AccountRun& run, const std::string& format,
                      const std::string& dim) {
  Json out = Json::array();
  for (const auto& r : t.exec_params(
           "SELECT " + dim +
               "::text, count(*), 1000 * sum(lp.followers_gained) / nullif(sum(lp.impressions), 0) "
               "FROM learning_posts lp WHERE lp.account_id = $1 AND lp.format = $3 AND "
               "lp.followers_gained IS NOT NULL AND " +
               gated_sql("lp") +
               " GROUP BY 1 HAVING count(*) >= 2 ORDER BY 3 DESC NULLS LAST, 1 LIMIT 3",
           run.account.id, format_iso8601(run.ctx.clock.now()), format)) {
    if (r[2].is_null()) continue;
    out.push_back({{"key", r[0].as<std::string>()},
                   {"posts", r[1].as<long long>()},
                   {"followers_per_1000_views", r[2].as<double>()}});
  }
  return out;
}

}  // namespace

Json learning_summary(db::AccountRun& run, const std::string& format) {
  pqxx::read_transaction t(run.conn);
  Json s = gate_report(t, run.account.id, run.ctx.clock.now(), format);
  Json details = Json::object();
  top_arms(t, run, format, "topic", 3, s["top_performing_topics"], details["topics"]);
  top_arms(t, run, format, "hour", 3, s["best_posting_hours"], details["hours"]);
  top_arms(t, run, format, "hook", 3, s["effective_hooks"], details["hooks"]);
  Json generators = Json::object();
  for (const auto& r : t.exec_params("SELECT lp.generator_name, avg(lp.engagement_rate) FROM "
                                     "learning_posts lp WHERE lp.account_id = $1 "
                                     "AND lp.format = $3 AND lp.engagement_rate IS NOT NULL AND " +
                                         gated_sql("lp") + " GROUP BY 1 ORDER BY 2 DESC",
                                     run.account.id, format_iso8601(run.ctx.clock.now()), format)) {
    generators[r[0].as<std::string>()] = r[1].as<double>();
  }
  s["generator_performance"] = generators;
  s["follower_drivers"] = {{"topic", follower_drivers(t, run, format, "lower(lp.topic)")},
                           {"generator", follower_drivers(t, run, format, "lp.generator_name")},
                           {"hook", follower_drivers(t, run, format, "lp.hook_type")},
                           {"hour", follower_drivers(t, run, format, "lp.posted_hour_local")}};
  s["confidence"] = details;
  return s;
}

int learn_hourly(db::AccountRun& run) {
  Json summary = learning_summary(run, "single");
  summary["format"] = "single";
  summary["at"] = format_iso8601(run.ctx.clock.now());
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
        run.account.id, format_iso8601(run.ctx.clock.now()), summary.dump());
    w.commit();
  }
  run.stats["posts_used"] = summary["posts_used"];
  run.stats["posts_skipped"] = summary["posts_skipped"];
  run.stats["predictor_trained"] = summary["predictor"].value("trained", false);
  emit(summary);
  return 0;
}

}  // namespace gl::jobs
