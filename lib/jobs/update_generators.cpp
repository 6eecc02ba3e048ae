#include "jobs/update_generators.h"

#include <cmath>
#include <iostream>
#include <map>

#include "db/pg_array.h"
#include "jobs/arms.h"
#include "jobs/generator_figures.h"
#include "jobs/learner_watermark.h"
#include "jobs/learning_data.h"

namespace gl::jobs {

namespace {

// Every generator's row of generator_stats, in one statement.
constexpr const char* kUpsertStats =
    "INSERT INTO generator_stats (account_id, generator_name, format, posts, mean_views, "
    "  median_views, mean_engagement_rate, followers_per_1000_views, score, confidence, rank, "
    "  topic_preferences, trend, updated_at) "
    "SELECT $1, u.g, u.f, u.p, u.mv, u.md, u.er, u.fp, u.s, u.c, u.r, u.tp::jsonb, u.t::jsonb, $2 "
    "FROM unnest($3::text[], $4::text[], $5::int[], $6::float8[], $7::float8[], $8::float8[], "
    "  $9::float8[], $10::float8[], $11::float8[], $12::int[], $13::text[], $14::text[]) "
    "  AS u(g, f, p, mv, md, er, fp, s, c, r, tp, t) "
    "ON CONFLICT (account_id, generator_name, format) DO UPDATE SET posts = excluded.posts, "
    "  mean_views = excluded.mean_views, median_views = excluded.median_views, "
    "  mean_engagement_rate = excluded.mean_engagement_rate, "
    "  followers_per_1000_views = excluded.followers_per_1000_views, score = excluded.score, "
    "  confidence = excluded.confidence, rank = excluded.rank, "
    "  topic_preferences = excluded.topic_preferences, trend = excluded.trend, "
    "  updated_at = excluded.updated_at";

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
  std::vector<db::PgArray> cols(12);
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
      // generator_stats' row, written with the others below.
      cols[0].add_text(arm.key);
      cols[1].add_text(format);
      cols[2].add(std::optional<long long>(arm.posts));
      cols[3].add(std::optional<double>(g.mean_views));
      cols[4].add(std::optional<double>(g.median_views));
      cols[5].add(g.mean_engagement_rate);
      cols[6].add(g.followers_per_1000_views);
      cols[7].add(std::optional<double>(arm.mean_reward));
      cols[8].add(std::optional<double>(arm.confidence));
      cols[9].add(std::optional<long long>(rank));
      cols[10].add_text(prefs.dump());
      cols[11].add_text(trend.dump());
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
  const long long written = run.ctx.common.dry_run ? 0 : static_cast<long long>(cols[0].size());
  if (written > 0) {
    w.exec_params0(kUpsertStats, run.account.id, now_text, cols[0].str(), cols[1].str(),
                   cols[2].str(), cols[3].str(), cols[4].str(), cols[5].str(), cols[6].str(),
                   cols[7].str(), cols[8].str(), cols[9].str(), cols[10].str(), cols[11].str());
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
