// learn-hourly reads each format's posts once (jobs::read_scoped_posts) and
// computes its parts from those rows: each part must give what its own
// statement over the same posts gives (gate report, arms, the predictor's
// posts, follower drivers, the summary's counts, the formulas), and the run
// must read the posts once per format, not once per part.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "jobs/arms.h"
#include "jobs/learning_data.h"
#include "jobs/learning_sql.h"
#include "support/json_same.h"
#include "support/planted.h"

using namespace gl;
using namespace gl::test;
using nlohmann::json;

namespace {

// More single posts than the predictor reads (9 in 10 of plant_long_history's are single).
constexpr int kLongHistory = 5600;
static_assert(kLongHistory * 9 / 10 > jobs::kPredictorPosts);

// The planted history, with what the rows of a real account also hold: replies,
// the imported past, posts without a hook, a formula or a follower count.
void history(TestDb& db) {
  plant_history(db, 150);
  plant_ungated(db, 6);
  plant_replies_and_imported(db);
  plant_reply_metadata(db);
  pqxx::work w(db.conn());
  w.exec("UPDATE learning_posts SET hook_type = NULL WHERE right(tweet_id, 1) = '4'");
  w.exec(
      "UPDATE learning_posts SET formula_name = 'Question + Explanation' "
      "WHERE right(tweet_id, 1) IN ('1', '5')");
  w.exec("UPDATE learning_posts SET followers_gained = NULL WHERE right(tweet_id, 1) = '8'");
  w.commit();
}

// Followers per 1000 views by dimension, best first: the statement learn-hourly
// ran before it read the posts once.
json follower_drivers_sql(pqxx::transaction_base& t, const jobs::LearningScope& scope) {
  json out = {{"topic", json::array()},
              {"generator", json::array()},
              {"hook", json::array()},
              {"hour", json::array()}};
  for (const auto& r : jobs::LearningQuery(scope).exec(
           t,
           "SELECT dim, key, posts, per_1000 FROM ("
           "  SELECT f.dim, f.key, count(*) AS posts, "
           "    1000 * sum(lp.followers_gained) / nullif(sum(lp.impressions), 0) AS per_1000, "
           "    row_number() OVER (PARTITION BY f.dim ORDER BY 1000 * sum(lp.followers_gained) / "
           "      nullif(sum(lp.impressions), 0) DESC NULLS LAST, f.key) AS place "
           "  FROM gated lp CROSS JOIN LATERAL (VALUES ('topic', lower(lp.topic)::text), "
           "    ('generator', " +
               jobs::persona_sql("lp") +
               "::text), ('hook', lp.hook_type::text), "
               "    ('hour', lp.posted_hour_local::text)) AS f(dim, key) "
               "  WHERE lp.followers_gained IS NOT NULL AND f.key IS NOT NULL "
               "  GROUP BY 1, 2 HAVING count(*) >= 2) s "
               "WHERE place <= 3 ORDER BY dim, place")) {
    if (r[3].is_null()) continue;
    out[r[0].as<std::string>()].push_back({{"key", r[1].as<std::string>()},
                                           {"posts", r[2].as<long long>()},
                                           {"followers_per_1000_views", r[3].as<double>()}});
  }
  return out;
}

std::string formulas(TestDb& db) {
  return db.scalar(
      "SELECT string_agg(row(formula_key, format, name, structure, example, hook_type, "
      "  body_pattern, length_band, has_numbers, has_cta, sources, generators, sample_size, "
      "  round(avg_views::numeric, 6), round(avg_engagement_rate::numeric, 9), "
      "  round(followers_per_1000_views::numeric, 9), round(confidence::numeric, 9))::text, "
      "  E'\\n' ORDER BY format, formula_key) FROM viral_formulas");
}

// The lean read of every format (jobs::read_scoped_formats) at kPlantedNow,
// checked post by post, field by field, and gate report by gate report against
// read_scoped_posts' statement and gate_report's.
std::map<std::string, jobs::FormatRead> lean_read_checked(TestDb& db) {
  const TimePoint now = *parse_iso8601(kPlantedNow);
  pqxx::read_transaction t(db.conn());
  auto lean = jobs::read_scoped_formats(t, 1, now);
  REQUIRE(lean.size() == 3);
  for (const std::string format : {"single", "reply", "thread"}) {
    INFO(format);
    const jobs::LearningScope scope{1, now, format};
    const auto posts = jobs::read_scoped_posts(t, scope);
    const jobs::FormatRead& read = lean.at(format);
    CHECK(read.gates == jobs::gate_report(t, scope));
    REQUIRE(read.posts.size() == posts.size());
    for (size_t i = 0; i < posts.size(); ++i) {
      const jobs::ScopedPost &a = read.posts[i], &b = posts[i];
      INFO(b.post.tweet_id);
      CHECK(a.post.tweet_id == b.post.tweet_id);
      CHECK(a.post.decision_id == b.post.decision_id);
      CHECK(a.post.content == b.post.content);
      CHECK(a.post.generator == b.post.generator);
      CHECK(a.post.topic == b.post.topic);
      CHECK(a.post.formula == b.post.formula);
      CHECK(a.post.hook == b.post.hook);
      CHECK(a.post.format == b.post.format);
      CHECK(a.post.tags.empty());  // not read
      CHECK(a.post.posted_at == b.post.posted_at);
      CHECK(a.post.hour == b.post.hour);
      CHECK(a.post.weekday == b.post.weekday);
      CHECK(close(a.post.spacing_hours, b.post.spacing_hours));
      CHECK(close(a.post.age_at_collection_hours, b.post.age_at_collection_hours));
      CHECK(a.post.metrics.impressions == b.post.metrics.impressions);
      CHECK(a.post.metrics.likes == b.post.metrics.likes);
      CHECK(a.post.metrics.retweets == b.post.metrics.retweets);
      CHECK(a.post.metrics.replies == b.post.metrics.replies);
      CHECK(a.post.metrics.quotes == b.post.metrics.quotes);
      CHECK(a.post.metrics.bookmarks == b.post.metrics.bookmarks);
      CHECK(a.post.metrics.profile_clicks == b.post.metrics.profile_clicks);
      CHECK(a.post.metrics.followers_gained == b.post.metrics.followers_gained);
      CHECK(a.post.engagement_rate == b.post.engagement_rate);
      CHECK(close(a.post.reward, b.post.reward));
      CHECK(a.post.available == b.post.available);
      CHECK(a.gate_failure == b.gate_failure);
      CHECK(a.success == b.success);
      CHECK(a.imported == b.imported);
      CHECK(close(a.weight, b.weight));
      CHECK(a.topic_key == b.topic_key);
      CHECK(a.hook_type == b.hook_type);
      CHECK(a.formula_name == b.formula_name);
      CHECK(a.content_md5 == b.content_md5);
    }
  }
  return lean;
}

// The lean read's post of `tweet_id` in `format`.
const jobs::ScopedPost& post_of(const std::map<std::string, jobs::FormatRead>& read,
                                const std::string& format, const std::string& tweet_id) {
  const auto& posts = read.at(format).posts;
  const auto it = std::find_if(posts.begin(), posts.end(), [&](const jobs::ScopedPost& p) {
    return p.post.tweet_id == tweet_id;
  });
  REQUIRE(it != posts.end());
  return *it;
}

}  // namespace

TEST_CASE("learn-hourly's one read of each format gives what each part's own statement gives") {
  TestDb db;
  history(db);
  const TimePoint now = *parse_iso8601(kPlantedNow);
  const std::vector<std::string> families = {"topic", "hour", "hook", "generator", "formula"};
  pqxx::read_transaction t(db.conn());
  for (const std::string format : {"single", "reply", "thread"}) {
    INFO(format);
    const jobs::LearningScope scope{1, now, format};
    const auto posts = jobs::read_scoped_posts(t, scope);
    CHECK(jobs::gate_report(t, scope, posts) == jobs::gate_report(t, scope));

    const auto arms = jobs::arm_stats_by_family(posts, families);
    const auto sql = jobs::arm_stats_by_family(t, scope, families, /*decay=*/true);
    for (const auto& family : families) {
      INFO(family);
      const auto& a = arms.at(family);
      const auto& b = sql.at(family);
      REQUIRE(a.size() == b.size());
      for (size_t i = 0; i < a.size(); ++i) {
        INFO(b[i].key);
        CHECK(a[i].key == b[i].key);
        CHECK(a[i].pulls == b[i].pulls);
        CHECK(close(a[i].weight, b[i].weight));
        CHECK(close(a[i].reward_sum, b[i].reward_sum));
        CHECK(close(a[i].reward_sq_sum, b[i].reward_sq_sum));
      }
    }

    const size_t newest = jobs::newest_posts_from(posts);
    const auto loaded = jobs::load_posts(t, scope);
    REQUIRE(posts.size() - newest == loaded.size());
    for (size_t i = 0; i < loaded.size(); ++i) {
      const auto &a = posts[newest + i].post, &b = loaded[i];
      INFO(b.tweet_id);
      CHECK(a.tweet_id == b.tweet_id);
      CHECK(a.posted_at == b.posted_at);
      CHECK(a.spacing_hours == b.spacing_hours);
      CHECK(a.metrics.impressions == b.metrics.impressions);
      CHECK(a.metrics.likes == b.metrics.likes);
      CHECK(a.metrics.followers_gained == b.metrics.followers_gained);
      CHECK(a.engagement_rate == b.engagement_rate);
      CHECK(a.formula == b.formula);
      CHECK(a.hook == b.hook);
    }
    // The reward of each gated post is scored's.
    const auto scored = jobs::load_gated_posts(t, scope);
    size_t gated = 0;
    for (const auto& p : posts) {
      if (!p.gated()) continue;
      REQUIRE(gated < scored.size());
      CHECK(p.post.tweet_id == scored[gated].tweet_id);
      CHECK(p.post.reward == scored[gated].reward);
      ++gated;
    }
    CHECK(gated == scored.size());
  }
  t.commit();

  // The tool: its follower drivers, counts and formulas against the statements
  // over the same posts (extract-formulas reads our successful posts by its own).
  const Result extract = run({"extract-formulas", "--now", kPlantedNow, "--full"}, db.url());
  INFO(extract.err);
  REQUIRE(extract.exit_code == 0);
  const std::string by_statements = formulas(db);
  CHECK(by_statements.find("single") != std::string::npos);
  const Result learn = run({"learn-hourly", "--now", kPlantedNow, "--full"}, db.url());
  INFO(learn.err);
  REQUIRE(learn.exit_code == 0);
  CHECK(formulas(db) == by_statements);
  const json summary = json::parse(learn.out.substr(0, learn.out.find('\n')));
  pqxx::read_transaction s(db.conn());
  for (const std::string format : {"single", "reply"}) {
    INFO(format);
    const json& f = format == "single" ? summary : summary["other_formats"][format];
    REQUIRE(f.is_object());
    const jobs::LearningScope scope{1, now, format};
    same(f["follower_drivers"], follower_drivers_sql(s, scope), format + " follower drivers");
    CHECK(f["posts_used_imported"].get<long long>() ==
          jobs::LearningQuery(scope)
              .exec(s, "SELECT count(*) FROM gated WHERE source = 'imported'")[0][0]
              .as<long long>());
    if (format == "single") CHECK(f["posts_used_imported"].get<long long>() > 0);
    CHECK(f["newest_gated_post"] == jobs::LearningQuery(scope)
                                        .exec(s,
                                              "SELECT to_char(max(posted_at) AT TIME ZONE 'UTC', "
                                              "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM gated")[0][0]
                                        .as<std::string>());
    for (const auto& r : jobs::LearningQuery(scope).exec(
             s,
             "SELECT lp.generator_name, avg(lp.engagement_rate) FROM gated lp "
             "WHERE lp.engagement_rate IS NOT NULL AND " +
                 jobs::persona_sql("lp") + " IS NOT NULL GROUP BY 1")) {
      INFO(r[0].as<std::string>());
      const json& g = f["generator_performance"][r[0].as<std::string>()];
      REQUIRE(g.contains("mean_engagement_rate"));
      CHECK(close(g["mean_engagement_rate"].get<double>(), r[1].as<double>()));
    }
  }
}

TEST_CASE(
    "learn-hourly's lean read of every format gives the posts and values of read_scoped_posts' "
    "statement") {
  TestDb db;
  history(db);
  // Two posts at the same instant (the spacing reads the time before, not the
  // twin), and one too young.
  pqxx::work w(db.conn());
  w.exec(
      "UPDATE learning_posts SET posted_at = (SELECT posted_at FROM learning_posts "
      "  ORDER BY posted_at DESC OFFSET 20 LIMIT 1) WHERE tweet_id IN (SELECT tweet_id FROM "
      "  learning_posts ORDER BY posted_at DESC OFFSET 21 LIMIT 1)");
  // Times to the microsecond, which the lean read carries as seconds in a
  // double: the age gate's edge (2 h before now) and half a millisecond either
  // side of it, now and a microsecond after it (which neither read reads), two
  // posts a millisecond apart and a reply a microsecond after them, and times
  // ending in .999 and .123456.
  w.exec("UPDATE learning_posts lp SET posted_at = timestamptz '" + std::string(kPlantedNow) +
         "' + t.since_now FROM (VALUES "
         "  (140, interval '-2 hours' + interval '0.5 ms'), "
         "  (141, interval '-2 hours' - interval '0.5 ms'), (142, interval '-2 hours'), "
         "  (139, interval '0'), (143, interval '1 us'), "
         "  (145, interval '-16 hours' + interval '1 ms'), "
         "  (146, interval '-16 hours' + interval '2 ms'), "
         "  (147, interval '-16 hours' + interval '2.001 ms'), "
         "  (148, interval '-50 hours' - interval '1 ms'), "
         "  (149, interval '-46 hours' + interval '123.456 ms')) AS t(i, since_now) "
         "WHERE lp.tweet_id = (1900000000000000000 + t.i)::text");
  w.exec(
      "UPDATE content_metadata cm SET posted_at = lp.posted_at FROM learning_posts lp "
      "WHERE lp.account_id = cm.account_id AND lp.decision_id = cm.decision_id");
  w.exec("UPDATE learning_posts SET posted_at = timestamptz '" + std::string(kPlantedNow) +
         "' - interval '1 hour' WHERE tweet_id = (SELECT max(tweet_id) FROM learning_posts)");
  w.commit();
  const auto lean = lean_read_checked(db);
  // The history has what the test means: the gate's verdicts half a
  // millisecond either side of its edge, and on it.
  const auto tweet = [](int i) { return std::to_string(1900000000000000000LL + i); };
  CHECK(post_of(lean, "single", tweet(140)).gate_failure == "age_below_2h");
  CHECK(post_of(lean, "single", tweet(141)).gated());
  CHECK(post_of(lean, "single", tweet(142)).gated());
}

TEST_CASE(
    "learn-hourly's lean read spaces a format's newest kPredictorPosts posts as read_scoped_posts' "
    "statement does, and not one more") {
  TestDb db;
  plant_long_history(db, kLongHistory);
  // The cut's two sides at one instant: the single before the newest
  // kPredictorPosts posted when the oldest of them was; the tweet ids decide
  // which of the two is among them (spaced) and which is not (24).
  pqxx::work w(db.conn());
  w.exec_params0(
      "WITH newest AS (SELECT decision_id, posted_at, row_number() OVER (ORDER BY posted_at DESC, "
      "  tweet_id DESC) AS n FROM learning_posts WHERE format = 'single'), "
      "twin AS (SELECT a.decision_id, b.posted_at FROM newest a JOIN newest b ON b.n = $1 "
      "  WHERE a.n = $1 + 1), "
      "lp AS (UPDATE learning_posts lp SET posted_at = twin.posted_at FROM twin "
      "  WHERE lp.decision_id = twin.decision_id) "
      "UPDATE content_metadata cm SET posted_at = twin.posted_at FROM twin "
      "WHERE cm.decision_id = twin.decision_id",
      jobs::kPredictorPosts);
  w.commit();
  const auto lean = lean_read_checked(db);
  // The history has what the test means: singles on both sides of the cut, at one instant.
  const auto& singles = lean.at("single").posts;
  REQUIRE(singles.size() > static_cast<size_t>(jobs::kPredictorPosts));
  const jobs::ScopedPost &spaced = singles[singles.size() - jobs::kPredictorPosts],
                         &unspaced = singles[singles.size() - jobs::kPredictorPosts - 1];
  CHECK(spaced.post.posted_at == unspaced.post.posted_at);
  CHECK(spaced.post.spacing_hours < 1);
  CHECK(unspaced.post.spacing_hours == 24);
}

TEST_CASE("learn-hourly reads each format's posts in one statement, not once per part") {
  TestDb db;
  history(db);
  if (db.scalar("SHOW shared_preload_libraries").find("pg_stat_statements") == std::string::npos) {
    WARN("skipped: pg_stat_statements is not loaded (scripts/db start loads it)");
    return;
  }
  db.scalar("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  const std::string here = "(SELECT oid FROM pg_database WHERE datname = current_database())";
  db.scalar("SELECT pg_stat_statements_reset(0, " + here + ", 0)");
  const Result learn = run({"learn-hourly", "--now", kPlantedNow, "--full"}, db.url());
  INFO(learn.err);
  REQUIRE(learn.exit_code == 0);
  // Statements in the learners' frame (jobs::LearningQuery), which reads the
  // scope's posts: per format the one read and its gate report's count of
  // posts without metrics, and the reward model's half-life (plan_inputs).
  const int frames = std::stoi(
      db.scalar("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = " + here +
                " AND query LIKE '%FROM learning_posts lp, scope%'"));
  INFO(frames << " statements read the posts");
  CHECK(frames > 0);
  CHECK(frames <= 9);
  // Every format's posts in one lean statement (jobs::read_scoped_formats).
  CHECK(db.scalar("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = " + here +
                  " AND query LIKE '%lower(lp.topic), lp.formula_name, lp.hook_type%FROM "
                  "learning_posts lp WHERE%'") == "1");
}
