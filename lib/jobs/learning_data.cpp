#include "jobs/learning_data.h"

#include "db/connection.h"
#include "jobs/post_text.h"

namespace gl::jobs {

Json gate_report(pqxx::transaction_base& t, const LearningScope& scope) {
  Json skipped = Json::object();
  long long used = 0;
  const auto rows = LearningQuery(scope).exec(
      t,
      "SELECT coalesce(gate_failure, 'used'), count(*) FROM posts GROUP BY 1 "
      "UNION ALL "
      "SELECT 'no_metrics_yet', count(*) FROM content_metadata cm, scope "
      "WHERE cm.account_id = scope.account_id AND cm.format = scope.format "
      "  AND cm.status = 'posted' AND NOT EXISTS (SELECT 1 FROM learning_posts lp "
      "    WHERE lp.account_id = cm.account_id AND lp.decision_id = cm.decision_id)");
  for (const auto& r : rows) {
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

namespace {

// The posts of `relation` (scored: with their reward; posts: reward 0).
std::vector<LearnedPost> load(pqxx::transaction_base& t, const LearningScope& scope,
                              const std::string& relation, int limit) {
  LearningQuery q(scope);
  const std::string limit_param = q.bind(limit);
  const std::string reward = relation == "scored" ? "lp.reward" : "0::float8";
  // The newest posts are chosen before their stored analyses are joined: only
  // those are joined (each an md5 of its content) and carried through the sort.
  const auto rows = q.exec(
      t,
      "SELECT lp.tweet_id, lp.decision_id::text, lp.content, lp.generator_name, "
      "  lp.topic, coalesce(lp.formula_name, ''), coalesce(lp.hook_type, ''), lp.format, lp.tags, "
      "  extract(epoch FROM lp.posted_at)::float8, lp.posted_hour_local, lp.posted_weekday_local, "
      "  coalesce(extract(epoch FROM lp.posted_at - (SELECT max(p.posted_at) "
      "    FROM content_metadata p WHERE p.account_id = lp.account_id AND p.status = 'posted' "
      "      AND p.posted_at < lp.posted_at)) / 3600, 24), " +
          counts_sql("lp") + ", lp.followers_gained, lp.engagement_rate, " + reward +
          ", extract(epoch FROM lp.collected_at - lp.posted_at)::float8 / 3600, lp.available, " +
          post_text_columns() + " FROM (SELECT * FROM " + relation +
          " lp ORDER BY lp.posted_at DESC, lp.tweet_id DESC LIMIT " + limit_param + ") lp " +
          post_text_join("lp") + " ORDER BY 10, 1");
  std::vector<LearnedPost> out;
  for (const auto& r : rows) {
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
    p.metrics = {read_counts(r, 13), db::optional_double(r[20])};
    p.engagement_rate = db::optional_double(r[21]);
    p.reward = r[22].as<double>();
    p.age_at_collection_hours = r[23].as<double>();
    p.available = r[24].as<bool>();
    if (auto text = read_post_text_columns(r, 25)) {
      p.text = std::move(text->features);
      p.unavailable_notice = text->unavailable_notice;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::vector<LearnedPost> load_gated_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                          int limit) {
  return load(t, scope, "scored", limit);
}

std::vector<LearnedPost> load_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                    int limit) {
  return load(t, scope, "posts", limit);
}

}  // namespace gl::jobs
