// update-generators reads the account's posts once for every format
// (jobs::read_generator_formats) and computes its figures from those rows: its
// lines must be what the statements each part ran over the learners' frame
// gave (gate report, medians, averages over known values, the 7-day trend,
// topic preferences with their ties, ranks), and a run must read the posts in
// one statement, not several per format.
#include "jobs/generator_figures.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

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

std::string id(int i) { return std::to_string(1900000000000000000LL + i); }

// The planted history with what a real account's rows also hold: replies, the
// imported past, unknown engagement rates and follower counts (a whole
// persona's in replies), personas of one and two posts, two topics of a
// persona tied to the bit (one of them upper case outside ASCII), posts on X
// without metrics yet (one in a format without any other post) and a post
// after now.
void history(TestDb& db) {
  plant_history(db, 150);
  plant_ungated(db, 6);
  plant_replies_and_imported(db);
  plant_reply_metadata(db);
  pqxx::work w(db.conn());
  w.exec("UPDATE learning_posts SET followers_gained = NULL WHERE right(tweet_id, 1) = '8'");
  w.exec("UPDATE learning_posts SET engagement_rate = NULL WHERE right(tweet_id, 1) = '6'");
  w.exec(
      "UPDATE learning_posts SET engagement_rate = NULL "
      "WHERE format = 'reply' AND generator_name = 'coach'");
  w.exec(
      "UPDATE learning_posts SET followers_gained = NULL "
      "WHERE format = 'reply' AND generator_name = 'storyteller'");
  w.exec("UPDATE learning_posts SET generator_name = 'teacher' WHERE tweet_id = '" + id(149) + "'");
  w.exec("UPDATE learning_posts SET generator_name = 'historian' WHERE tweet_id IN ('" + id(10) +
         "', '" + id(11) + "')");
  w.exec("UPDATE learning_posts SET topic = CASE tweet_id WHEN '" + id(0) +
         "' THEN 'alpha' ELSE 'ΩMEGA' END, impressions = 50000, likes = 5000, retweets = 0, "
         "replies = 500, quotes = 0, bookmarks = 0, profile_clicks = 250, followers_gained = 50, "
         "engagement_rate = 0.11 WHERE tweet_id IN ('" +
         id(0) + "', '" + id(1) + "')");
  w.exec(
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, status, format, "
      "  scheduled_at, posted_at, tweet_id) VALUES "
      "(1, 'coach', 'sleep', 'no metrics yet', 'posted', 'single', timestamptz '" +
      std::string(kPlantedNow) + "' - interval '1 hour', timestamptz '" + kPlantedNow +
      "' - interval '1 hour', '1999'), "
      "(1, 'coach', 'sleep', 'a thread, no metrics yet', 'posted', 'thread', timestamptz '" +
      kPlantedNow + "' - interval '3 hours', timestamptz '" + kPlantedNow +
      "' - interval '3 hours', '1998')");
  w.exec("UPDATE learning_posts SET posted_at = timestamptz '" + std::string(kPlantedNow) +
         "' + interval '1 hour' WHERE tweet_id = '" + id(148) + "'");
  w.commit();
}

json opt(const pqxx::field& f) { return f.is_null() ? json(nullptr) : json(f.as<double>()); }

// What update-generators printed before it read the posts once: its lines from
// the statements each part ran over the learners' frame.
std::vector<json> by_statements(pqxx::transaction_base& t, TimePoint now) {
  std::vector<json> out;
  for (const std::string format : jobs::kFormats) {
    const jobs::LearningScope scope{1, now, format};
    if (jobs::gate_report(t, scope)["posts_used"].get<long long>() == 0) continue;
    std::map<std::string, pqxx::row> figures;
    const auto rows = jobs::LearningQuery(scope).exec(
        t,
        "SELECT lp.generator_name, count(*), avg(lp.impressions)::float8, "
        "  percentile_cont(0.5) WITHIN GROUP (ORDER BY lp.impressions)::float8, "
        "  avg(lp.engagement_rate)::float8, "
        "  1000 * sum(lp.followers_gained) / nullif(sum(lp.impressions) "
        "    FILTER (WHERE lp.followers_gained IS NOT NULL), 0), "
        "  avg(ln(lp.impressions)) FILTER (WHERE lp.posted_at > scope.now - interval '7 days'), "
        "  count(*) FILTER (WHERE lp.posted_at > scope.now - interval '7 days'), "
        "  avg(ln(lp.impressions)) FILTER (WHERE lp.posted_at <= scope.now - interval '7 days'), "
        "  count(*) FILTER (WHERE lp.posted_at <= scope.now - interval '7 days') "
        "FROM gated lp, scope WHERE " +
            jobs::persona_sql("lp") + " IS NOT NULL GROUP BY 1");
    for (const auto& r : rows) figures.emplace(r[0].as<std::string>(), r);
    std::map<std::string, std::vector<learn::BanditArm>> topics;
    for (const auto& r : jobs::LearningQuery(scope).exec(
             t,
             "SELECT lp.generator_name, lower(lp.topic), count(*), sum(lp.reward), "
             "sum(lp.reward * lp.reward) FROM scored lp WHERE " +
                 jobs::persona_sql("lp") + " IS NOT NULL GROUP BY 1, 2")) {
      topics[r[0].as<std::string>()].push_back({r[1].as<std::string>(), r[2].as<long long>(),
                                                r[2].as<double>(), r[3].as<double>(),
                                                r[4].as<double>()});
    }
    int rank = 0;
    for (const auto& arm : jobs::rank_arms(jobs::arm_stats(t, scope, "generator", false))) {
      const pqxx::row& g = figures.at(arm.key);
      json prefs = json::array();
      for (const auto& p : jobs::rank_arms(topics.at(arm.key))) {
        if (prefs.size() == 3) break;
        prefs.push_back({{"topic", p.key},
                         {"posts", p.posts},
                         {"mean_reward", p.mean_reward},
                         {"confidence", p.confidence}});
      }
      json trend = {{"recent_posts", g[7].as<long long>()},
                    {"earlier_posts", g[9].as<long long>()}};
      if (!g[6].is_null() && !g[8].is_null()) {
        trend["views_ratio_7d"] = std::exp(g[6].as<double>() - g[8].as<double>());
      }
      out.push_back({{"generator", arm.key},
                     {"format", format},
                     {"rank", ++rank},
                     {"posts", arm.posts},
                     {"mean_views", g[2].as<double>()},
                     {"median_views", g[3].as<double>()},
                     {"mean_engagement_rate", opt(g[4])},
                     {"followers_per_1000_views", opt(g[5])},
                     {"score", arm.mean_reward},
                     {"confidence", arm.confidence},
                     {"topic_preferences", prefs},
                     {"trend", trend}});
    }
  }
  return out;
}

std::vector<json> lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(json::parse(line));
  return out;
}

}  // namespace

TEST_CASE(
    "update-generators' one read of the posts gives each generator figure its statement gave") {
  TestDb db;
  history(db);
  const TimePoint now = *parse_iso8601(kPlantedNow);
  pqxx::read_transaction t(db.conn());
  const auto read = jobs::read_generator_formats(t, 1, now);
  for (const std::string format : jobs::kFormats) {
    INFO(format);
    const jobs::LearningScope scope{1, now, format};
    const json gates = jobs::gate_report(t, scope);
    const auto found = read.find(format);
    if (found == read.end()) {
      CHECK(gates["posts_used"] == 0);
    } else {
      CHECK(found->second.gates == gates);
    }
  }
  // The history holds what the figures must get right.
  REQUIRE(read.count("single"));
  REQUIRE(read.count("reply"));
  CHECK_FALSE(read.count("thread"));
  CHECK(read.at("single").gates["posts_skipped"]["no_metrics_yet"] == 1);
  const std::vector<json> expected = by_statements(t, now);
  t.commit();

  const Result r = run({"update-generators", "--now", kPlantedNow, "--full"}, db.url());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::vector<json> got = lines(r.out);
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) same(got[i], expected[i], "line " + std::to_string(i));
  // generator_stats holds each line.
  CHECK(db.scalar("SELECT count(*) FROM generator_stats") == std::to_string(got.size()));
  for (const json& j : got) {
    INFO(j.dump());
    pqxx::read_transaction s(db.conn());
    const auto row = s.exec_params1(
        "SELECT posts, mean_views, median_views, mean_engagement_rate, followers_per_1000_views, "
        "  score, confidence, rank, topic_preferences::text, trend::text FROM generator_stats "
        "WHERE account_id = 1 AND generator_name = $1 AND format = $2",
        j["generator"].get<std::string>(), j["format"].get<std::string>());
    CHECK(row[0].as<long long>() == j["posts"]);
    CHECK(row[1].as<double>() == j["mean_views"]);
    CHECK(row[2].as<double>() == j["median_views"]);
    CHECK(opt(row[3]) == j["mean_engagement_rate"]);
    CHECK(opt(row[4]) == j["followers_per_1000_views"]);
    CHECK(row[5].as<double>() == j["score"]);
    CHECK(row[6].as<double>() == j["confidence"]);
    CHECK(row[7].as<long long>() == j["rank"]);
    same(json::parse(row[8].as<std::string>()), j["topic_preferences"], "topic_preferences");
    same(json::parse(row[9].as<std::string>()), j["trend"], "trend");
  }
  const auto line = [&](const std::string& generator, const std::string& format) {
    for (const json& j : got) {
      if (j["generator"] == generator && j["format"] == format) return j;
    }
    FAIL("no line for " << generator << " in " << format);
    return json();
  };
  CHECK(line("teacher", "single")["posts"] == 1);
  CHECK(line("historian", "single")["posts"] == 2);
  CHECK_FALSE(line("historian", "single")["trend"].contains("views_ratio_7d"));
  CHECK(line("coach", "reply")["mean_engagement_rate"].is_null());
  CHECK(line("storyteller", "reply")["followers_per_1000_views"].is_null());
  const json tied = line("dataNerd", "single")["topic_preferences"];
  REQUIRE(tied.size() == 3);
  CHECK(tied[0]["topic"] == "alpha");
  CHECK(tied[1]["topic"] == db.scalar("SELECT lower('ΩMEGA')"));
  CHECK(tied[0]["mean_reward"] == tied[1]["mean_reward"]);
}

TEST_CASE(
    "update-generators reads the account's posts in one statement, not several per format, and "
    "writes its rows in one") {
  TestDb db;
  history(db);
  if (db.scalar("SHOW shared_preload_libraries").find("pg_stat_statements") == std::string::npos) {
    WARN("skipped: pg_stat_statements is not loaded (scripts/db start loads it)");
    return;
  }
  db.scalar("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  const std::string here = "(SELECT oid FROM pg_database WHERE datname = current_database())";
  // The statements of a run that read learning_posts: a run with --full, less
  // those of the same run again, which finds nothing changed and only reads
  // the fingerprint of its inputs (jobs/learner_watermark.h).
  const auto reads = [&](const std::vector<std::string>& args) {
    db.scalar("SELECT pg_stat_statements_reset(0, " + here + ", 0)");
    const Result r = run(args, db.url());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return std::stoi(
        db.scalar("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = " + here +
                  " AND query LIKE '%learning_posts%'"));
  };
  const int full = reads({"update-generators", "--now", kPlantedNow, "--full"});
  // And writes generator_stats in one statement, whatever the number of personas.
  CHECK(std::stoi(db.scalar("SELECT count(*) FROM generator_stats")) > 3);
  CHECK(db.scalar("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE dbid = " + here +
                  " AND query LIKE 'INSERT INTO generator_stats%'") == "1");
  const int idle = reads({"update-generators", "--now", kPlantedNow});
  CHECK(db.scalar("SELECT stats->>'skipped' FROM job_runs WHERE tool = 'update-generators' "
                  "ORDER BY run_id DESC LIMIT 1") == "unchanged");
  INFO(full << " statements read learning_posts, " << idle << " of them the fingerprint");
  // The posts, and the posts on X without metrics yet.
  CHECK(full - idle <= 2);
}
