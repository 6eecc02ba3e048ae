#include "e2e/fixture.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <stdexcept>

#include "db/pg_array.h"

namespace gl::test {

LoopFixture::LoopFixture(std::vector<std::string> sandbox_args)
    : sandbox(std::move(sandbox_args)), env(tool_env(db.url(), sandbox)) {
  Result r = run_tool({"accounts", "add", "e2e", "--timezone", "America/New_York", "--topic",
                       "sleep", "--topic", "focus"},
                      env);
  if (r.exit_code != 0) throw std::runtime_error("accounts add failed: " + r.err);
}

std::vector<std::string> LoopFixture::posted(int n, const std::string& posted_at,
                                             const std::string& topic,
                                             const std::string& user_key) {
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) {
    texts.push_back("Post " + std::to_string(i) + ": 73% of adults get " + topic +
                    " wrong, and research shows why.");
  }
  const auto ids = sandbox.import(
      user_key.empty() ? "oauth1:" + env.at("X_ACCESS_TOKEN") : user_key, texts, posted_at);
  db::PgArray id_array, text_array;
  for (size_t i = 0; i < ids.size(); ++i) {
    id_array.add_text(ids[i]);
    text_array.add_text(texts[i]);
  }
  pqxx::work w(db.conn());
  w.exec_params(
      "INSERT INTO content_metadata (account_id, generator_name, topic, hook_type, content, "
      "status, "
      "  scheduled_at, posted_at, tweet_id) "
      "SELECT 1, 'dataNerd', $1, 'surprising_stat', u.text, 'posted', $2, $2, u.id "
      "FROM unnest($3::text[], $4::text[]) AS u(id, text)",
      topic, posted_at, id_array.str(), text_array.str());
  w.commit();
  return ids;
}

std::string LoopFixture::queue(const std::string& text, const std::string& scheduled_at,
                               const std::string& format) {
  pqxx::work w(db.conn());
  auto r = w.exec_params1(
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, format, status, "
      "  scheduled_at) VALUES (1, 'coach', 'focus', $1, $2, 'queued', $3) RETURNING "
      "decision_id::text",
      text, format, scheduled_at);
  w.commit();
  return r[0].as<std::string>();
}

long long LoopFixture::disagreements() {
  return count(R"SQL(
    SELECT count(*) FROM outcomes o
    JOIN learning_posts lp ON lp.account_id = o.account_id AND lp.decision_id = o.decision_id
    JOIN content_metadata cm ON cm.account_id = o.account_id AND cm.decision_id = o.decision_id
    LEFT JOIN LATERAL (SELECT * FROM tweet_metrics tm
                       WHERE tm.account_id = o.account_id AND tm.tweet_id = o.tweet_id
                       ORDER BY collected_at DESC LIMIT 1) t ON true
    WHERE o.impressions IS DISTINCT FROM lp.impressions
       OR o.likes IS DISTINCT FROM lp.likes
       OR o.engagement_rate IS DISTINCT FROM lp.engagement_rate
       OR o.impressions IS DISTINCT FROM cm.actual_impressions
       OR o.likes IS DISTINCT FROM cm.actual_likes
       OR o.retweets IS DISTINCT FROM cm.actual_retweets
       OR o.replies IS DISTINCT FROM cm.actual_replies
       OR o.bookmarks IS DISTINCT FROM cm.actual_bookmarks
       OR o.profile_clicks IS DISTINCT FROM cm.actual_profile_clicks
       OR o.engagement_rate IS DISTINCT FROM cm.actual_engagement_rate
       OR o.collected_at > cm.last_collected_at  -- before it when the last read was set aside
       OR o.collected_at IS DISTINCT FROM lp.collected_at
       OR o.followers_gained IS DISTINCT FROM lp.followers_gained
       OR (o.available AND cardinality(t.anomalies) = 0 AND t.impressions IS NOT NULL
           AND o.impressions IS DISTINCT FROM t.impressions)
  )SQL") +
         count(R"SQL(
    SELECT abs((SELECT count(*) FROM outcomes) - (SELECT count(*) FROM learning_posts))
         + abs((SELECT count(*) FROM outcomes)
               - (SELECT count(*) FROM content_metadata WHERE last_collected_at IS NOT NULL))
  )SQL");
}

std::map<std::string, std::string> LoopFixture::oauth2_env() const {
  auto e = env;
  for (const char* k :
       {"X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"})
    e.erase(k);
  e["X_OAUTH2_CLIENT_ID"] = "e2e-client";
  e["X_OAUTH2_REFRESH_TOKEN"] = "first-refresh-token";
  return e;
}

int run_crontab_chain(const std::map<std::string, std::string>& env, TimePoint start, int hours,
                      const CrontabChain& chain) {
  int failures = 0;
  const auto call = [&](std::vector<std::string> args, const std::string& in = "") {
    Result r = run_tool(args, env, in);
    if (r.exit_code != 0) {
      ++failures;
      WARN(args[0] << " exited " << r.exit_code << ": " << r.err);
    }
    return r;
  };
  for (int hour = 0; hour < hours; ++hour) {
    const std::string now = format_iso8601(start + std::chrono::hours(hour));
    std::vector<std::string> plan = {"plan-post", "--now", now, "--seed", std::to_string(hour + 1)};
    plan.insert(plan.end(), chain.plan_flags.begin(), chain.plan_flags.end());
    call(plan);
    call({"publish", "--now", now});
    const Result scraped = call({"scrape-metrics", "--now", now});
    call({"update-generators", "--now", now}, scraped.out);
    if (hour % chain.learn_every == chain.learn_offset) call({"learn-hourly", "--now", now});
    if (hour % chain.aggregate_every == 0) call({"aggregate", "--now", now});
    if (hour % chain.formulas_every == 0) call({"extract-formulas", "--now", now});
  }
  return failures;
}

}  // namespace gl::test
