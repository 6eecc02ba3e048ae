// extract-formulas reads each format's posts once (jobs/formula_posts.h) with
// only what its parts need: the successful posts and the gate report must be
// what their own statements over the same posts gave, a stored text analysis
// is found by an md5 computed here as PostgreSQL computes it, and a run reads
// the posts once per format with posts.
#include "jobs/formula_posts.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/md5.h"
#include "jobs/learning_data.h"
#include "jobs/learning_sql.h"
#include "support/planted.h"

using namespace gl;
using namespace gl::test;
using nlohmann::json;

namespace {

// The planted history with what extract-formulas meets in a real account:
// replies, the imported past, texts of several hooks (many sharing their prose,
// so which post is first decides what is kept), gated posts that are not
// successful, a post without a follower count, one on X without metrics yet,
// and one without metrics of a format with no other post.
void history(TestDb& db) {
  plant_history(db, 150);
  plant_ungated(db, 6);
  plant_hook_texts(db);
  plant_replies_and_imported(db);
  plant_reply_metadata(db);
  pqxx::work w(db.conn());
  // The story with a letter outside ASCII, and X's notice in place of a text.
  const std::string text =
      "CASE right(tweet_id, 1) "
      "WHEN '4' THEN 'I tried 30 days of better ' || topic || ' and here is what I learned "
      "about myself, café and all https://example.com/' || tweet_id "
      "WHEN '6' THEN 'This post is unavailable.' END "
      "WHERE right(tweet_id, 1) IN ('4', '6')";
  w.exec("UPDATE content_metadata SET content = " + text);
  w.exec("UPDATE learning_posts SET content = " + text);
  w.exec(
      "UPDATE learning_posts SET likes = 5, replies = 0 "
      "WHERE right(tweet_id, 1) = '9' AND impressions < 5000");
  w.exec("UPDATE learning_posts SET followers_gained = NULL WHERE right(tweet_id, 1) = '8'");
  w.exec(
      "DELETE FROM learning_posts WHERE tweet_id IN ('1900000000000000010', "
      "'1900000000000000020')");
  w.exec("UPDATE content_metadata SET format = 'thread' WHERE tweet_id = '1900000000000000020'");
  w.commit();
}

// What extract-formulas read of a format's successful posts before it read
// each format once: its own statement, oldest first.
std::vector<learn::FormulaObservation> own_posts_sql(pqxx::transaction_base& t,
                                                     const jobs::LearningScope& scope,
                                                     std::vector<jobs::FormulaPostKey>& keys) {
  std::vector<learn::FormulaObservation> out;
  keys.clear();
  for (const auto& r : jobs::LearningQuery(scope).exec(
           t, "SELECT g.tweet_id, g.content, coalesce(" + jobs::persona_sql("g") +
                  ", ''), g.impressions::float8, g.engagement_rate, g.followers_gained, "
                  "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ln(impressions)) "
                  "  FROM gated), g.decision_id::text, md5(g.content) "
                  "FROM gated g WHERE g.success ORDER BY g.posted_at, g.tweet_id")) {
    learn::FormulaObservation o;
    o.tweet_id = r[0].as<std::string>();
    o.text = r[1].as<std::string>();
    o.source = learn::kSourceOwn;
    o.generator = r[2].as<std::string>();
    o.views = r[3].as<double>();
    if (!r[4].is_null()) o.engagement_rate = r[4].as<double>();
    if (!r[5].is_null()) o.followers_gained = r[5].as<double>();
    o.baseline_log_views = r[6].as<double>();
    keys.push_back({r[7].as<std::string>(), r[8].as<std::string>()});
    out.push_back(std::move(o));
  }
  return out;
}

bool close(double a, double b) {
  return std::fabs(a - b) <= 1e-12 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

Result extract(TestDb& db, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"extract-formulas", "--now", kPlantedNow};
  args.insert(args.end(), extra.begin(), extra.end());
  Result r = run(args, db.url());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

std::string last_stats(TestDb& db) {
  return db.scalar(
      "SELECT stats::text FROM job_runs WHERE tool = 'extract-formulas' ORDER BY run_id DESC "
      "LIMIT 1");
}

}  // namespace

TEST_CASE("extract-formulas' one read of a format gives what its own statements gave") {
  TestDb db;
  history(db);
  // Posts of one time: the oldest first is the one of the lower id.
  CHECK(db.scalar("SELECT count(*) > 0 FROM (SELECT posted_at FROM learning_posts "
                  "GROUP BY format, posted_at HAVING count(*) > 1) s") == "t");
  const TimePoint now = *parse_iso8601(kPlantedNow);
  pqxx::read_transaction t(db.conn());
  const auto no_metrics = jobs::posts_without_metrics(t, 1);
  CHECK(no_metrics.at("single") == 1);
  CHECK(no_metrics.at("thread") == 1);
  CHECK(no_metrics.count("reply") == 0);
  size_t successes = 0;
  for (const std::string format : jobs::kFormats) {
    INFO(format);
    const jobs::LearningScope scope{1, now, format};
    const auto n = no_metrics.find(format);
    std::vector<jobs::FormulaPostKey> keys, sql_keys;
    const auto read =
        jobs::read_formula_posts(t, scope, n == no_metrics.end() ? 0 : n->second, keys);
    CHECK(read.gates == jobs::gate_report(t, scope));
    CHECK(read.known.empty());
    const auto sql = own_posts_sql(t, scope, sql_keys);
    REQUIRE(read.own.size() == sql.size());
    REQUIRE(keys.size() == sql.size());
    for (size_t i = 0; i < sql.size(); ++i) {
      const auto &a = read.own[i], &b = sql[i];
      INFO(b.tweet_id);
      CHECK(a.tweet_id == b.tweet_id);
      CHECK(a.text == b.text);
      CHECK(a.source == b.source);
      CHECK(a.generator == b.generator);
      CHECK(a.views == b.views);
      CHECK(a.engagement_rate == b.engagement_rate);
      CHECK(a.followers_gained == b.followers_gained);
      CHECK(close(a.baseline_log_views, b.baseline_log_views));
      CHECK(keys[i].decision_id == sql_keys[i].decision_id);
      CHECK(keys[i].content_md5 == sql_keys[i].content_md5);
      CHECK(md5_hex(a.text) == sql_keys[i].content_md5);
    }
    successes += sql.size();
    // The history has what the test is about: successes, failures, ties.
    if (format == "single") CHECK(sql.size() > 50);
    if (format == "single") CHECK(read.gates["posts_used"].get<size_t>() > sql.size());
    if (format == "reply") CHECK(!sql.empty());
  }
  CHECK(successes > 0);
}

TEST_CASE("extract-formulas finds a post's stored analysis by its content's md5, as stored") {
  TestDb db;
  history(db);
  const Result first = extract(db);
  CHECK(last_stats(db).find("\"texts_analysed\": 0") == std::string::npos);
  // Every analysis stored is keyed as PostgreSQL keys it (post_text_join).
  CHECK(db.scalar("SELECT count(*) FROM post_text_features f JOIN learning_posts lp "
                  "USING (account_id, decision_id) WHERE f.content_md5 <> md5(lp.content)") == "0");
  // A second run finds each of them: nothing is analysed again.
  const Result again = extract(db, {"--full"});
  CHECK(last_stats(db).find("\"texts_analysed\": 0") != std::string::npos);
  CHECK(again.out == first.out);

  // A post whose content changed since its analysis is analysed afresh, and
  // the run prints what a run analysing every text in memory prints.
  {
    pqxx::work w(db.conn());
    w.exec(
        "UPDATE learning_posts SET content = 'Why is ' || topic || ' so hard? Tell me below.' "
        "WHERE right(tweet_id, 1) = '5'");
    w.commit();
  }
  const Result changed = extract(db, {"--full"});
  CHECK(last_stats(db).find("\"texts_analysed\": 0") == std::string::npos);
  CHECK(changed.out != first.out);
  CHECK(changed.out == extract(db, {"--full", "--dry-run"}).out);
  CHECK(db.scalar("SELECT count(*) FROM post_text_features f JOIN learning_posts lp "
                  "USING (account_id, decision_id) WHERE f.content_md5 <> md5(lp.content)") == "0");
}

TEST_CASE("extract-formulas reads each format's posts in one statement and asks for no md5") {
  TestDb db;
  history(db);
  if (db.scalar("SHOW shared_preload_libraries").find("pg_stat_statements") == std::string::npos) {
    WARN("skipped: pg_stat_statements is not loaded (scripts/db start loads it)");
    return;
  }
  db.scalar("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  const std::string here = "(SELECT oid FROM pg_database WHERE datname = current_database())";
  db.scalar("SELECT pg_stat_statements_reset(0, " + here + ", 0)");
  extract(db, {"--full"});
  const auto calls = [&](const std::string& like) {
    return std::stoi(
        db.scalar("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements "
                  "WHERE dbid = " +
                  here + " AND query LIKE '" + like + "'"));
  };
  // Two formats have posts (single, reply): one statement in the learners'
  // frame each; thread, without posts, none.
  CHECK(calls("%FROM learning_posts lp, scope%") == 2);
  CHECK(calls("%md5(%") == 0);
}
