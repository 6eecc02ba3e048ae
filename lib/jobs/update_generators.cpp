#include "jobs/update_generators.h"

#include <cmath>
#include <iostream>
#include <map>

#include "jobs/arms.h"
#include "jobs/learner_watermark.h"
#include "jobs/learning_data.h"

namespace gl::jobs {

namespace {

struct GeneratorRow {
  long long posts = 0;
  double mean_views = 0, median_views = 0;
  std::optional<double> mean_er, followers_per_1000;
  std::optional<double> recent_log_views, earlier_log_views;
  long long recent_posts = 0, earlier_posts = 0;
};

constexpr auto opt = db::optional_double;

Json opt_json(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

}  // namespace

std::set<std::string> generators_from_stdin() {
  if (!stdin_has_data()) return {};
  return read_string_field(std::cin, "generator");
}

int update_generators(db::AccountRun& run, const UpdateGeneratorsOptions& options) {
  // Generators named on stdin update only themselves: never skipped, no watermark.
  LearnerWatermark mark(run, options.full || !options.only.empty(), MovingWindow::kTrend7Days);
  if (mark.unchanged()) {
    for (const Json& j : mark.previous_output()) emit(j);
    return 0;
  }
  const std::string now_text = format_iso8601(run.now);
  std::vector<Json> out;
  pqxx::work w(run.conn);
  Json report = Json::object();
  long long written = 0;
  for (const std::string format : kFormats) {
    const LearningScope scope{run.account.id, run.now, format};
    const Json gates = gate_report(w, scope);
    if (gates["posts_used"].get<long long>() == 0) continue;
    report[format] = gates;
    std::map<std::string, GeneratorRow> rows;
    for (const auto& r : LearningQuery(scope).exec(
             w,
             "SELECT lp.generator_name, count(*), avg(lp.impressions)::float8, "
             "  percentile_cont(0.5) WITHIN GROUP (ORDER BY lp.impressions)::float8, "
             "  avg(lp.engagement_rate)::float8, "
             "  1000 * sum(lp.followers_gained) / nullif(sum(lp.impressions) "
             "    FILTER (WHERE lp.followers_gained IS NOT NULL), 0), "
             "  avg(ln(lp.impressions)) FILTER (WHERE lp.posted_at > scope.now - interval '7 "
             "days'), "
             "  count(*) FILTER (WHERE lp.posted_at > scope.now - interval '7 days'), "
             "  avg(ln(lp.impressions)) FILTER (WHERE lp.posted_at <= scope.now - interval '7 "
             "days'), "
             "  count(*) FILTER (WHERE lp.posted_at <= scope.now - interval '7 days') "
             "FROM gated lp, scope WHERE " +
                 persona_sql("lp") + " IS NOT NULL GROUP BY 1")) {
      GeneratorRow g;
      g.posts = r[1].as<long long>();
      g.mean_views = r[2].as<double>();
      g.median_views = r[3].as<double>();
      g.mean_er = opt(r[4]);
      g.followers_per_1000 = opt(r[5]);
      g.recent_log_views = opt(r[6]);
      g.recent_posts = r[7].as<long long>();
      g.earlier_log_views = opt(r[8]);
      g.earlier_posts = r[9].as<long long>();
      rows[r[0].as<std::string>()] = g;
    }
    // Topic preferences: each generator's topics, shrunk toward its own mean.
    std::map<std::string, std::vector<learn::BanditArm>> topics_by_generator;
    for (const auto& r : LearningQuery(scope).exec(
             w,
             "SELECT lp.generator_name, lower(lp.topic), count(*), sum(lp.reward), "
             "sum(lp.reward * lp.reward) FROM scored lp WHERE " +
                 persona_sql("lp") + " IS NOT NULL GROUP BY 1, 2")) {
      const double n = r[2].as<double>();
      topics_by_generator[r[0].as<std::string>()].push_back(
          {r[1].as<std::string>(), r[2].as<long long>(), n, r[3].as<double>(), r[4].as<double>()});
    }
    const auto ranked = rank_arms(arm_stats(w, scope, "generator", /*decay=*/false));
    int rank = 0;
    for (const auto& arm : ranked) {
      ++rank;
      if (!options.only.empty() && !options.only.count(arm.key)) continue;
      const GeneratorRow& g = rows[arm.key];
      Json prefs = Json::array();
      int kept = 0;
      for (const auto& t : rank_arms(topics_by_generator[arm.key])) {
        if (kept++ == 3) break;
        prefs.push_back({{"topic", t.key},
                         {"posts", t.posts},
                         {"mean_reward", t.mean_reward},
                         {"confidence", t.confidence}});
      }
      Json trend = {{"recent_posts", g.recent_posts}, {"earlier_posts", g.earlier_posts}};
      if (g.recent_log_views && g.earlier_log_views) {
        trend["views_ratio_7d"] = std::exp(*g.recent_log_views - *g.earlier_log_views);
      }
      if (!run.ctx.common.dry_run) {
        w.exec_params0(
            "INSERT INTO generator_stats (account_id, generator_name, format, posts, mean_views, "
            "median_views, "
            "  mean_engagement_rate, followers_per_1000_views, score, confidence, rank, "
            "topic_preferences, trend, "
            "  updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, "
            "$13::jsonb, $14) "
            "ON CONFLICT (account_id, generator_name, format) DO UPDATE SET posts = "
            "excluded.posts, "
            "  mean_views = excluded.mean_views, median_views = excluded.median_views, "
            "  mean_engagement_rate = excluded.mean_engagement_rate, "
            "  followers_per_1000_views = excluded.followers_per_1000_views, score = "
            "excluded.score, "
            "  confidence = excluded.confidence, rank = excluded.rank, "
            "  topic_preferences = excluded.topic_preferences, trend = excluded.trend, "
            "  updated_at = excluded.updated_at",
            run.account.id, arm.key, format, static_cast<int>(arm.posts), g.mean_views,
            g.median_views, g.mean_er, g.followers_per_1000, arm.mean_reward, arm.confidence, rank,
            prefs.dump(), trend.dump(), now_text);
        ++written;
      }
      out.push_back({{"generator", arm.key},
                     {"format", format},
                     {"rank", rank},
                     {"posts", arm.posts},
                     {"mean_views", g.mean_views},
                     {"median_views", g.median_views},
                     {"mean_engagement_rate", opt_json(g.mean_er)},
                     {"followers_per_1000_views", opt_json(g.followers_per_1000)},
                     {"score", arm.mean_reward},
                     {"confidence", arm.confidence},
                     {"topic_preferences", prefs},
                     {"trend", trend}});
    }
  }
  w.commit();
  for (const Json& j : out) emit(j);
  if (options.only.empty()) mark.record(out);
  run.stats["formats"] = report;
  run.stats["generators_written"] = written;
  if (report.empty()) run.ctx.log.info("no post has passed the learning gates yet");
  return 0;
}

}  // namespace gl::jobs
