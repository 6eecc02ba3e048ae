#include "jobs/learning_data.h"

#include <fmt/format.h>

#include "db/connection.h"
#include "learn/gates.h"

namespace gl::jobs {

std::string gated_sql(const std::string& a) {
  const learn::LearningGates g;
  return fmt::format(
      "({0}.available AND {0}.impressions >= {1} AND {0}.likes >= {2} "
      "AND {0}.posted_at <= $2::timestamptz - make_interval(secs => {3}))",
      a, g.min_views, g.min_likes, g.min_age_hours * 3600);
}

Json gate_report(pqxx::transaction_base& t, long long account_id, TimePoint now,
                 const std::string& format) {
  const learn::LearningGates g;
  const std::string sql = fmt::format(
      "SELECT CASE WHEN NOT available THEN 'unavailable' "
      "  WHEN impressions IS NULL THEN 'views_unknown' "
      "  WHEN impressions < {0} THEN 'views_below_{0}' "
      "  WHEN likes IS NULL THEN 'likes_unknown' "
      "  WHEN likes < {1} THEN 'likes_below_{1}' "
      "  WHEN posted_at > $2::timestamptz - make_interval(secs => {2}) THEN 'age_below_2h' "
      "  ELSE 'used' END, count(*) "
      "FROM learning_posts WHERE account_id = $1 AND format = $3 AND posted_at <= $2 GROUP BY 1 "
      "UNION ALL "
      "SELECT 'no_metrics_yet', count(*) FROM content_metadata cm WHERE cm.account_id = $1 "
      "  AND cm.format = $3 AND cm.status = 'posted' AND NOT EXISTS (SELECT 1 FROM learning_posts "
      "lp "
      "  WHERE lp.account_id = cm.account_id AND lp.decision_id = cm.decision_id)",
      g.min_views, g.min_likes, g.min_age_hours * 3600);
  Json skipped = Json::object();
  long long used = 0;
  for (const auto& r : t.exec_params(sql, account_id, format_iso8601(now), format)) {
    const auto reason = r[0].as<std::string>();
    const auto n = r[1].as<long long>();
    if (reason == "used") {
      used = n;
    } else if (n > 0) {
      skipped[reason] = n;
    }
  }
  return {{"posts_used", used}, {"posts_skipped", skipped}};
}

std::vector<LearnedPost> load_gated_posts(pqxx::transaction_base& t, long long account_id,
                                          TimePoint now, const std::string& format, int limit) {
  const std::string sql =
      "WITH " + learn::prior_rates_sql(gated_sql("lp")) +
      " SELECT * FROM (SELECT lp.tweet_id, lp.decision_id::text, lp.content, lp.generator_name, "
      "lp.topic, "
      "  coalesce(lp.formula_name, ''), coalesce(lp.hook_type, ''), lp.format, lp.tags, "
      "  extract(epoch FROM lp.posted_at)::float8, lp.posted_hour_local, lp.posted_weekday_local, "
      "  coalesce(extract(epoch FROM lp.posted_at - (SELECT max(p.posted_at) FROM content_metadata "
      "p "
      "    WHERE p.account_id = lp.account_id AND p.status = 'posted' AND p.posted_at < "
      "lp.posted_at)) / 3600, 24), "
      "  lp.impressions, lp.likes, lp.retweets, lp.replies, lp.quotes, lp.bookmarks, "
      "lp.profile_clicks, "
      "  lp.followers_gained, lp.engagement_rate, " +
      learn::reward_sql("lp") +
      ", extract(epoch FROM lp.collected_at - lp.posted_at)::float8 / 3600"
      " FROM learning_posts lp CROSS JOIN prior WHERE lp.account_id = $1 AND lp.format = $3 AND " +
      gated_sql("lp") + " ORDER BY lp.posted_at DESC LIMIT $4) s ORDER BY 10";
  std::vector<LearnedPost> out;
  for (const auto& r : t.exec_params(sql, account_id, format_iso8601(now), format, limit)) {
    LearnedPost p;
    p.tweet_id = r[0].as<std::string>();
    p.decision_id = r[1].as<std::string>();
    p.content = r[2].as<std::string>();
    p.generator = r[3].as<std::string>();
    p.topic = r[4].as<std::string>();
    p.formula = r[5].as<std::string>();
    p.hook = r[6].as<std::string>();
    p.format = r[7].as<std::string>();
    p.tags = db::from_pg_array(r[8]);
    p.posted_at = from_epoch_seconds(r[9].as<double>());
    p.hour = r[10].as<int>();
    p.weekday = r[11].as<int>();
    p.spacing_hours = r[12].as<double>();
    const auto opt = db::optional_count;
    p.metrics = {opt(r[13]), opt(r[14]), opt(r[15]), opt(r[16]),
                 opt(r[17]), opt(r[18]), opt(r[19]), db::optional_double(r[20])};
    if (!r[21].is_null()) p.engagement_rate = r[21].as<double>();
    p.reward = r[22].as<double>();
    p.age_at_collection_hours = r[23].as<double>();
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> gated_formats(pqxx::transaction_base& t, long long account_id,
                                       TimePoint now) {
  std::vector<std::string> out;
  for (const auto& r :
       t.exec_params("SELECT DISTINCT format FROM learning_posts lp WHERE lp.account_id = $1 AND " +
                         gated_sql("lp") + " ORDER BY 1",
                     account_id, format_iso8601(now))) {
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

}  // namespace gl::jobs
