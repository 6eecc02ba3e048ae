#include "support/planted.h"

#include <cmath>
#include <random>

#include "core/clock.h"

namespace gl::test {

namespace {

void insert_post(pqxx::work& w, int i, const std::string& topic, int hour,
                 const std::string& generator, const std::string& text, long long impressions,
                 long long likes, long long replies, long long clicks, const std::string& posted_at,
                 bool available) {
  const std::string tweet_id = std::to_string(1900000000000000000LL + i);
  const auto id = w.exec_params1(
                       "INSERT INTO content_metadata (account_id, generator_name, topic, "
                       "hook_type, content, status, scheduled_at, "
                       "  posted_at, tweet_id, tags) VALUES (1, $1, $2, 'surprising_stat', $3, "
                       "'posted', $4, $4, $5, ARRAY[$2, 'health']) "
                       "RETURNING decision_id::text",
                       generator, topic, text, posted_at, tweet_id)[0]
                      .as<std::string>();
  const double er =
      static_cast<double>(likes + replies) / static_cast<double>(std::max(1LL, impressions));
  w.exec_params0(
      "INSERT INTO outcomes (account_id, decision_id, tweet_id, impressions, likes, retweets, "
      "replies, quotes, "
      "  bookmarks, profile_clicks, engagement_rate, followers_gained, available, collected_at) "
      "VALUES (1, $1, $2, $3, $4, 0, $5, 0, 0, $6, $7, $8, $9, $10)",
      id, tweet_id, impressions, likes, replies, clicks, er, clicks * 0.2, available, kPlantedNow);
  w.exec_params0(
      "INSERT INTO learning_posts (account_id, tweet_id, decision_id, content, generator_name, "
      "topic, hook_type, "
      "  format, tags, posted_at, posted_hour_local, posted_weekday_local, impressions, likes, "
      "retweets, replies, "
      "  quotes, bookmarks, profile_clicks, engagement_rate, followers_gained, available, "
      "collected_at) "
      "VALUES (1, $1, $2, $3, $4, $5, 'surprising_stat', 'single', ARRAY[$5, 'health'], $6, $7, 3, "
      "$8, $9, 0, $10, "
      "  0, 0, $11, $12, $13, $14, $15)",
      tweet_id, id, text, generator, topic, posted_at, hour, impressions, likes, replies, clicks,
      er, clicks * 0.2, available, kPlantedNow);
}

void insert_planted_account(pqxx::work& w) {
  w.exec(
      "INSERT INTO accounts (handle, timezone, topics) "
      "VALUES ('planted', 'UTC', '{sleep,focus,nutrition}') ON CONFLICT DO NOTHING");
}

}  // namespace

void plant_history(TestDb& db, int n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0, 0.15);
  const char* topics[] = {"sleep", "focus", "nutrition"};
  const int hours[] = {9, 14, 19};
  const char* generators[] = {"dataNerd", "coach", "storyteller"};
  const auto now = *parse_iso8601(kPlantedNow);
  pqxx::connection& c = db.conn();
  {
    pqxx::work w(c);
    insert_planted_account(w);
    w.commit();
  }
  pqxx::work w(c);
  for (int i = 0; i < n; ++i) {
    const int t = i % 3, h = (i / 3) % 3, g = (i / 9) % 3;
    // The truth: sleep x3 views, 19:00 x2.5, dataNerd twice the engagement.
    const double views = 800 * (t == 0 ? 3 : 1) * (h == 2 ? 2.5 : 1) * std::exp(noise(rng));
    const double like_rate = 0.02 * (g == 0 ? 2 : 1) * std::exp(noise(rng));
    const long long impressions = static_cast<long long>(views);
    const long long likes = std::max(5LL, static_cast<long long>(views * like_rate));
    const auto posted =
        now - std::chrono::hours(24 * 30) + std::chrono::minutes(i * (24 * 60 * 29 / n));
    const auto hour_of = std::chrono::hours(hours[h]);
    // Keep the planted local hour exact: midnight UTC of that day + the hour.
    const auto day =
        std::chrono::floor<std::chrono::hours>(posted) -
        std::chrono::hours(
            std::chrono::duration_cast<std::chrono::hours>(posted.time_since_epoch()).count() % 24);
    insert_post(w, i, topics[t], hours[h], generators[g],
                std::string(topics[t]) + " fact " + std::to_string(i) +
                    ": 73% of adults get this wrong. Research shows why.",
                impressions, likes, likes / 10, impressions / 200, format_iso8601(day + hour_of),
                true);
  }
  w.commit();
}

void plant_hour_history(TestDb& db, const std::string& end) {
  std::mt19937 rng(18);
  std::normal_distribution<double> noise(0, 0.15);
  const char* topics[] = {"sleep", "focus", "nutrition"};
  const char* generators[] = {"dataNerd", "coach", "storyteller"};
  const int hours[] = {8, 11, 14, 17, 20};
  const auto day0 =
      std::chrono::floor<std::chrono::hours>(*parse_iso8601(end)) - std::chrono::hours(24 * 6);
  pqxx::work w(db.conn());
  w.exec(
      "INSERT INTO accounts (handle, timezone, topics) "
      "VALUES ('hours', 'UTC', '{sleep,focus,nutrition}') ON CONFLICT DO NOTHING");
  for (int i = 0; i < 600; ++i) {
    const int day = i / 100, h = (i / 20) % 5, k = i % 20;
    const double views = 1000 * (hours[h] == 14 ? 2 : 1) * std::exp(noise(rng));
    const auto posted = day0 -
                        std::chrono::hours(day0.time_since_epoch() / std::chrono::hours(1) % 24) +
                        std::chrono::hours(24 * day + hours[h]) + std::chrono::minutes(k * 3);
    const long long impressions = static_cast<long long>(views);
    const long long likes = std::max(5LL, static_cast<long long>(views * 0.03));
    insert_post(w, 7000 + i, topics[i % 3], hours[h], generators[(i / 3) % 3],
                std::string(topics[i % 3]) + " note " + std::to_string(i) +
                    ": 73% of adults get this wrong. Research shows why.",
                impressions, likes, likes / 10, impressions / 200, format_iso8601(posted), true);
  }
  w.commit();
}

void plant_ungated(TestDb& db, int n) {
  const auto now = *parse_iso8601(kPlantedNow);
  pqxx::work w(db.conn());
  for (int i = 0; i < n; ++i) {
    const int kind = i % 3;
    // Absurd numbers on "junk" at 03:00 by "provocateur": harmful if learned.
    const long long impressions = kind == 0 ? 90 : 900000;
    const long long likes = kind == 1 ? 4 : 90000;
    const auto posted =
        kind == 2 ? now - std::chrono::minutes(30) : now - std::chrono::hours(24 * 3 + i);
    insert_post(w, 5000 + i, "junk", 3, "provocateur", "junk post " + std::to_string(i),
                impressions, likes, 500, 5000, format_iso8601(posted), true);
  }
  // And one deleted post.
  insert_post(w, 6000, "junk", 3, "provocateur", "deleted junk", 900000, 90000, 500, 5000,
              format_iso8601(now - std::chrono::hours(48)), false);
  w.commit();
}

void plant_long_history(TestDb& db, int n) {
  pqxx::work w(db.conn());
  insert_planted_account(w);
  // The posts' own values (p), written to content_metadata (cm), then to
  // outcomes and learning_posts with the decision ids cm gave them.
  w.exec_params0(
      "WITH p AS (SELECT i, (1910000000000000000 + i)::text AS tweet_id, "
      "    CASE WHEN i % 10 = 9 THEN 'reply' ELSE 'single' END AS format, "
      "    (ARRAY['sleep', 'focus', 'nutrition'])[1 + i % 3] AS topic, "
      "    (ARRAY['dataNerd', 'coach', 'storyteller'])[1 + i / 3 % 3] AS generator, "
      "    $2::timestamptz - interval '1 hour' - (7 * i + i % 3) * interval '1 minute' "
      "      AS posted_at, "
      "    300 + 37 * i % 5000 AS impressions, "
      "    CASE WHEN i % 7 = 6 THEN 4 ELSE 5 + 13 * i % 90 END AS likes "
      "  FROM generate_series(0, $1 - 1) i), "
      "cm AS (INSERT INTO content_metadata (account_id, generator_name, topic, hook_type, "
      "    content, status, format, in_reply_to_tweet_id, scheduled_at, posted_at, tweet_id, tags) "
      "  SELECT 1, generator, topic, 'surprising_stat', topic || ' post ' || i, 'posted', format, "
      "    CASE format WHEN 'reply' THEN '1799' END, posted_at, posted_at, tweet_id, "
      "    ARRAY[topic, 'health'] FROM p "
      "  RETURNING decision_id, tweet_id, content), "
      "o AS (INSERT INTO outcomes (account_id, decision_id, tweet_id, impressions, likes, "
      "    retweets, replies, quotes, bookmarks, profile_clicks, engagement_rate, "
      "    followers_gained, available, collected_at) "
      "  SELECT 1, cm.decision_id, p.tweet_id, impressions, likes, 0, likes / 10, 0, 0, "
      "    impressions / 200, (likes + likes / 10)::float8 / impressions, impressions / 1000.0, "
      "    true, $2 FROM p JOIN cm USING (tweet_id)) "
      "INSERT INTO learning_posts (account_id, tweet_id, decision_id, content, generator_name, "
      "  topic, hook_type, format, tags, posted_at, posted_hour_local, posted_weekday_local, "
      "  impressions, likes, retweets, replies, quotes, bookmarks, profile_clicks, "
      "  engagement_rate, followers_gained, available, collected_at) "
      "SELECT 1, p.tweet_id, cm.decision_id, cm.content, generator, topic, 'surprising_stat', "
      "  format, ARRAY[topic, 'health'], posted_at, "
      "  extract(hour FROM posted_at AT TIME ZONE 'UTC'), "
      "  extract(dow FROM posted_at AT TIME ZONE 'UTC'), impressions, likes, 0, likes / 10, 0, "
      "  0, impressions / 200, (likes + likes / 10)::float8 / impressions, "
      "  impressions / 1000.0, true, $2 FROM p JOIN cm USING (tweet_id)",
      n, kPlantedNow);
  w.commit();
}

void plant_replies_and_imported(TestDb& db) {
  pqxx::work w(db.conn());
  w.exec("UPDATE learning_posts SET format = 'reply' WHERE right(tweet_id, 1) = '7'");
  w.exec(
      "UPDATE learning_posts SET source = 'imported', generator_name = 'imported' "
      "WHERE right(tweet_id, 1) = '3'");
  w.commit();
}

void plant_reply_metadata(TestDb& db) {
  pqxx::work w(db.conn());
  w.exec(
      "UPDATE content_metadata cm SET format = 'reply', in_reply_to_tweet_id = '1799' "
      "FROM learning_posts lp "
      "WHERE lp.account_id = cm.account_id AND lp.decision_id = cm.decision_id "
      "AND lp.format = 'reply'");
  w.commit();
}

void plant_hook_texts(TestDb& db) {
  const std::string text =
      "CASE right(tweet_id, 1) "
      "WHEN '1' THEN 'Why does ' || topic || ' matter at night? Reply with your best tip.' "
      "WHEN '2' THEN '3 ways to improve ' || topic || E':\\n1. Walk\\n2. Read\\n3. Rest' "
      "WHEN '3' THEN 'Most people think ' || topic || ' is about effort. It is not: it is "
      "about timing, every single day. Follow for more.' "
      "WHEN '4' THEN 'I tried 30 days of better ' || topic || ' and here is what I learned "
      "about myself https://example.com/' || tweet_id "
      "ELSE content END";
  pqxx::work w(db.conn());
  w.exec("UPDATE content_metadata SET content = " + text);
  w.exec("UPDATE learning_posts SET content = " + text);
  w.commit();
}

}  // namespace gl::test
