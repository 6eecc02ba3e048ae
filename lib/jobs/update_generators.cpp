#include "jobs/update_generators.h"

#include <cmath>
#include <iostream>
#include <map>

#include "jobs/arms.h"
#include "jobs/generator_figures.h"
#include "jobs/learner_watermark.h"
#include "jobs/learning_data.h"

namespace gl::jobs {

namespace {

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
  const auto read = read_generator_formats(w, run.account.id, run.now);
  for (const std::string format : kFormats) {
    const auto found = read.find(format);
    if (found == read.end() || found->second.gates["posts_used"].get<long long>() == 0) continue;
    const FormatGenerators& f = found->second;
    report[format] = f.gates;
    const auto ranked = rank_arms(f.arms);
    int rank = 0;
    for (const auto& arm : ranked) {
      ++rank;
      if (!options.only.empty() && !options.only.count(arm.key)) continue;
      const GeneratorFigures& g = f.figures.at(arm.key);
      Json prefs = Json::array();
      int kept = 0;
      for (const auto& t : rank_arms(f.topics.at(arm.key))) {
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
            g.median_views, g.mean_engagement_rate, g.followers_per_1000_views, arm.mean_reward,
            arm.confidence, rank, prefs.dump(), trend.dump(), now_text);
        ++written;
      }
      out.push_back({{"generator", arm.key},
                     {"format", format},
                     {"rank", rank},
                     {"posts", arm.posts},
                     {"mean_views", g.mean_views},
                     {"median_views", g.median_views},
                     {"mean_engagement_rate", opt_json(g.mean_engagement_rate)},
                     {"followers_per_1000_views", opt_json(g.followers_per_1000_views)},
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
