#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/clock.h"
#include "db/connection.h"
#include "jobs/training.h"
#include "support/planted.h"
#include "support/sandbox.h"

using namespace gl::test;
using nlohmann::json;

namespace {

Result tool(TestDb& db, std::vector<std::string> args, const std::string& in = "") {
  args.push_back("--now");
  args.push_back(kPlantedNow);
  return run(args, db.url(), in);
}

std::string state(TestDb& db) {
  return db.scalar(
      "SELECT md5(string_agg(t, '|' ORDER BY t)) FROM ("
      "  SELECT row(generator_name, format, posts, round(score::numeric, 9), rank)::text AS t FROM "
      "generator_stats "
      "  UNION ALL SELECT row(family, format, arm_key, pulls, round(reward_sum::numeric, 9))::text "
      "FROM bandit_arms "
      "  UNION ALL SELECT row(formula_key, format, sample_size, round(confidence::numeric, "
      "9))::text FROM viral_formulas) s");
}

}  // namespace

TEST_CASE("learn-hourly finds the planted topic and hour, with confidence above the rest") {
  TestDb db;
  plant_history(db, 180);
  plant_ungated(db, 9);
  Result r = tool(db, {"learn-hourly"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json s = json::parse(r.out);
  CHECK(s["top_performing_topics"][0] == "sleep");
  CHECK(s["best_posting_hours"][0] == 19);
  const auto& topics = s["ranked"]["topic"];
  CHECK(topics[0]["key"] == "sleep");
  CHECK(topics[0]["confidence"].get<double>() > 0.95);
  for (size_t i = 1; i < topics.size(); ++i)
    CHECK(topics[i]["confidence"].get<double>() < topics[0]["confidence"].get<double>());
  CHECK(s["posts_used"] == 180);
  CHECK(s["posts_skipped"]["views_below_100"] == 3);
  CHECK(s["posts_skipped"]["likes_below_5"] == 3);
  CHECK(s["posts_skipped"]["age_below_2h"] == 3);
  CHECK(s["posts_skipped"]["unavailable"] == 1);
  CHECK(s["generator_performance"]["dataNerd"]["mean_engagement_rate"].get<double>() >
        s["generator_performance"]["coach"]["mean_engagement_rate"].get<double>());
  CHECK_FALSE(s["generator_performance"].contains("provocateur"));
  for (const auto& t : s["top_performing_topics"]) CHECK(t != "junk");
  const auto& p = s["predictor"];
  CHECK(p["trained"] == true);
  CHECK(p["posts"] == 180);
  CHECK(p["targets"]["log_views"]["holdout_rmse"].get<double>() <
        p["targets"]["log_views"]["baseline_rmse"].get<double>());
  CHECK(db.scalar("SELECT count(*) FROM learning_summaries") == "1");
  CHECK(db.scalar("SELECT count(*) FROM predictor_models") == "1");
  CHECK(db.scalar("SELECT summary->'top_performing_topics'->>0 FROM learning_summaries") ==
        "sleep");
  // Follower drivers: each dimension's top 3 by followers per 1000 views, as
  // one statement per dimension over the gated posts gives them.
  for (const auto& [dim, sql] :
       std::map<std::string, std::string>{{"topic", "lower(topic)"},
                                          {"generator", "generator_name"},
                                          {"hook", "hook_type"},
                                          {"hour", "posted_hour_local::text"}}) {
    INFO(dim);
    const std::string expected = db.scalar(
        "SELECT string_agg(k || ':' || n, ',' ORDER BY v DESC NULLS LAST, k) FROM (SELECT " + sql +
        " AS k, count(*) AS n, 1000 * sum(followers_gained) / nullif(sum(impressions), 0) AS v "
        "FROM learning_posts WHERE available AND impressions >= 100 AND likes >= 5 AND format = "
        "'single' AND followers_gained IS NOT NULL AND posted_at <= "
        "'" +
        std::string(kPlantedNow) +
        "'::timestamptz - interval '2 hours' GROUP BY 1 "
        "HAVING count(*) >= 2 ORDER BY 3 DESC NULLS LAST, 1 LIMIT 3) t");
    std::string got;
    for (const auto& d : s["follower_drivers"][dim])
      got += (got.empty() ? "" : ",") + d["key"].get<std::string>() + ":" +
             std::to_string(d["posts"].get<long long>());
    CHECK(got == expected);
    CHECK_FALSE(got.empty());
  }
}

TEST_CASE("update-generators ranks the planted winner first and reads scrape-metrics output") {
  TestDb db;
  plant_history(db, 180);
  Result r = tool(db, {"update-generators"});
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0]["generator"] == "dataNerd");
  CHECK(lines[0]["rank"] == 1);
  CHECK(lines[0]["confidence"].get<double>() > lines[1]["confidence"].get<double>());
  CHECK(lines[0]["topic_preferences"][0]["topic"] == "sleep");
  CHECK(lines[0]["posts"] == 63);  // blocks of 9 posts cycle the 3 generators
  CHECK(db.scalar("SELECT generator_name FROM generator_stats WHERE rank = 1") == "dataNerd");

  // Only the generators named on stdin are written.
  TestDb db2;
  plant_history(db2, 180);
  Result only = tool(db2, {"update-generators"},
                     R"({"generator":"coach","tweet_id":"1"})"
                     "\n");
  REQUIRE(only.exit_code == 0);
  CHECK(json_lines(only.out).size() == 1);
  CHECK(db2.scalar("SELECT string_agg(generator_name, ',') FROM generator_stats") == "coach");
}

TEST_CASE("learners that rewrite the same rows of an account wait for each other") {
  // extract-formulas and learn-hourly both rewrite the account's formulas, and
  // learn-hourly and aggregate both number its models, each under its own
  // tool's lock. Here another writer is between its writes of both when
  // learn-hourly starts: learn-hourly must wait for it, not fail on its keys.
  TestDb db;
  plant_history(db, 60);
  Result first = tool(db, {"learn-hourly"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  REQUIRE(db.scalar("SELECT count(*) > 0 FROM viral_formulas") == "t");
  REQUIRE(db.scalar("SELECT max(version) FROM predictor_models") == "1");

  pqxx::connection other(db.url());
  pqxx::work w(other);
  gl::db::lock_account_table(w, "viral_formulas", 1);
  gl::db::lock_account_table(w, "predictor_models", 1);
  w.exec("CREATE TEMP TABLE f AS SELECT * FROM viral_formulas");
  w.exec("DELETE FROM viral_formulas");
  w.exec("INSERT INTO viral_formulas SELECT * FROM f");
  w.exec(
      "INSERT INTO predictor_models SELECT account_id, 2, format, kind, params, metrics, "
      "samples, trained_through, trained_at FROM predictor_models WHERE version = 1");
  Process run_while_held(
      Command{{"learn-hourly", "--full", "--now", kPlantedNow}, "", {{"DATABASE_URL", db.url()}}});
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  w.commit();
  const Result r = run_while_held.wait();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(db.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM predictor_models") ==
        "1,2,3");
  CHECK(db.scalar("SELECT count(*) > 0 FROM viral_formulas") == "t");
}

TEST_CASE("posts thousands of half-lives old weigh nothing instead of failing every run") {
  // 2199 is 4,500 half-lives of the arms' 14 days after the planted posts:
  // PostgreSQL's float8 power() raises an underflow error where a double is 0.
  TestDb db;
  plant_history(db, 60);
  for (const std::vector<std::string>& args : {std::vector<std::string>{"learn-hourly"},
                                               {"aggregate"},
                                               {"update-generators"},
                                               {"extract-formulas"},
                                               {"evaluate"},
                                               {"report", "--format", "json"}}) {
    std::vector<std::string> cmd = args;
    cmd.insert(cmd.end(), {"--now", "2199-06-01T00:00:00Z"});
    const Result r = run(cmd, db.url());
    INFO(args[0] << ": " << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("an unreadable stored output is recomputed, alone or among every account's") {
  TestDb db;
  plant_history(db, 40);
  REQUIRE(run({"accounts", "add", "second", "--topic", "tea"}, db.url()).exit_code == 0);
  const auto lines_of = [](const std::string& out) {
    std::map<std::string, int> by_account;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) ++by_account[json::parse(line).value("account", "")];
    return by_account;
  };
  const auto all = [&] {
    Result r = run({"learn-hourly", "--all-accounts", "--now", kPlantedNow}, db.url());
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return lines_of(r.out);
  };
  const auto first = all();
  REQUIRE(first.size() == 2);
  const auto corrupt = [&] {
    db.scalar(
        "UPDATE learner_watermarks SET output = '{\"cut\": ' WHERE account_id = 1 "
        "RETURNING 1");
  };
  corrupt();
  CHECK(all() == first);  // the other account's stored lines are printed as before
  CHECK(db.scalar("SELECT count(*) FROM job_runs WHERE tool = 'learn-hourly' AND account_id = 1") ==
        "2");
  corrupt();
  Result alone = tool(db, {"learn-hourly", "--account", "planted"});
  INFO(alone.err);
  CHECK(alone.exit_code == 0);
  CHECK(json::parse(alone.out)["posts_used"] == 40);
  CHECK(db.scalar("SELECT output LIKE '{%}' || E'\\n' FROM learner_watermarks WHERE "
                  "account_id = 1") == "t");
}

TEST_CASE("bad JSON on stdin exits 2 naming the line") {
  TestDb db;
  plant_history(db, 30);
  Result r = tool(db, {"update-generators"}, "{\"generator\":\"coach\"}\nnot json\n");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("stdin line 2") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM generator_stats") == "0");
}

TEST_CASE(
    "aggregate updates the bandit arms from gated posts only, and re-running changes nothing") {
  TestDb db;
  plant_history(db, 180);
  Result r = tool(db, {"aggregate"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const json out = json::parse(r.out);
  CHECK(out["bandit_arms"]["single"]["topic"] == 3);
  CHECK(out["bandit_arms"]["single"]["hour"] == 3);
  CHECK(out["embedded"] == 180);
  CHECK(out["retrained"].size() == 1);  // 180 new gated posts, no model yet
  CHECK(db.scalar("SELECT arm_key FROM bandit_arms WHERE family = 'topic' ORDER BY posterior_mean "
                  "DESC LIMIT 1") == "sleep");
  CHECK(db.scalar("SELECT arm_key FROM bandit_arms WHERE family = 'hour' ORDER BY posterior_mean "
                  "DESC LIMIT 1") == "19");
  CHECK(db.scalar("SELECT arm_key FROM bandit_arms WHERE family = 'tag' LIMIT 1").find('+') !=
        std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM content_embeddings WHERE dims = 256") == "180");

  tool(db, {"update-generators"});
  tool(db, {"extract-formulas"});
  const std::string before = state(db);
  // Posts that fail the gates change nothing the learners store.
  plant_ungated(db, 9);
  for (const char* t : {"aggregate", "update-generators", "extract-formulas"}) {
    Result again = tool(db, {t});
    INFO(t << ": " << again.err);
    REQUIRE(again.exit_code == 0);
  }
  CHECK(state(db) == before);
  CHECK(db.scalar("SELECT count(*) FROM predictor_models") == "1");  // nothing new to retrain on
}

TEST_CASE(
    "extract-formulas --generator prints that persona's formulas best first, in the seed's shape") {
  TestDb db;
  plant_history(db, 90);
  {
    pqxx::work w(db.conn());
    w.exec(
        "INSERT INTO peer_posts (account_id, tweet_id, peer_handle, content, impressions, likes, "
        "retweets, replies, "
        "collected_at) SELECT 1, (1800000000000000000 + g)::text, 'peer' || g % 4, "
        "CASE WHEN g % 2 = 0 THEN 'Myth: you need 8 hours of sleep. The evidence says otherwise.' "
        "ELSE 'I slept 6 hours for a year. Here is what happened.' END || ' Day ' || g || '.', "
        "1000 * g, 30 * g, 2 * g, g, now() FROM generate_series(1, 20) g");
    w.commit();
  }
  Result r = tool(db, {"extract-formulas", "--generator", "dataNerd"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = json_lines(r.out);
  REQUIRE_FALSE(lines.empty());
  double previous = 1e9;
  for (const auto& f : lines) {
    CHECK(f["generators"].get<std::vector<std::string>>().size() > 0);
    CHECK(f.contains("structure"));
    CHECK(f.contains("example"));
    CHECK(f["performance"].contains("avgViews"));
    CHECK(f["performance"].contains("avgEngagementRate"));
    CHECK(f["performance"].contains("followerConversion"));
    CHECK(f["performance"]["confidence"].get<double>() >= 0);
    CHECK(f["performance"]["score"].get<double>() <= previous);
    previous = f["performance"]["score"];
    bool has = false;
    for (const auto& g : f["generators"]) has = has || g == "dataNerd";
    CHECK(has);
  }
  INFO(r.out);
  CHECK(lines[0]["structure"].get<std::string>().rfind("[Surprising stat]", 0) == 0);
  CHECK(std::stoi(db.scalar(
            "SELECT count(*) FROM viral_formulas WHERE 'peer_posts' = ANY(sources)")) >= 1);
  CHECK(
      db.scalar("SELECT count(*) FROM viral_formulas WHERE avg_views IS NULL OR sample_size < 1") ==
      "0");
}

TEST_CASE("aggregate's 24 h roll-up sums each post, generator, topic and local hour of the day") {
  TestDb db;
  plant_hour_history(db, kPlantedNow);  // 100 posts a day at five hours
  Result r = tool(db, {"aggregate"});
  REQUIRE(r.exit_code == 0);
  const json rollup = json_lines(r.out).at(0)["rollup_24h"];
  const std::map<std::string, std::string> keys = {
      {"per_post", "cm.tweet_id::text"},
      {"per_generator", "cm.generator_name::text"},
      {"per_topic", "lower(cm.topic)"},
      {"per_hour", "extract(hour FROM cm.posted_at AT TIME ZONE a.timezone)::text"}};
  REQUIRE(rollup.size() == keys.size());
  for (const auto& [group, key] : keys) {
    INFO(group);
    const json want = json::parse(db.scalar(
        "SELECT json_agg(json_build_object('key', coalesce(k, ''), 'posts', n, 'impressions', v, "
        "  'likes', l, 'followers_gained', f, 'engagement_rate', er) ORDER BY k) FROM ("
        "SELECT " +
        key +
        " AS k, count(*) AS n, sum(o.impressions) AS v, sum(o.likes) AS l, "
        "  sum(o.followers_gained) AS f, avg(o.engagement_rate) AS er "
        "FROM content_metadata cm JOIN outcomes o USING (account_id, decision_id) "
        "JOIN accounts a USING (account_id) WHERE cm.posted_at > timestamptz '" +
        std::string(kPlantedNow) + "' - interval '24 hours' AND cm.posted_at <= '" + kPlantedNow +
        "' GROUP BY 1) s"));
    const json& got = rollup.at(group);
    REQUIRE(got.size() == want.size());
    CHECK(got.size() >= (group == "per_post" ? 8u : 2u));
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i]["key"] == want[i]["key"]);
      CHECK(got[i]["posts"] == want[i]["posts"]);
      for (const char* m : {"impressions", "likes", "followers_gained", "engagement_rate"}) {
        INFO(m);
        if (want[i][m].is_null()) {
          CHECK(got[i][m].is_null());
        } else {
          CHECK(got[i][m].get<double>() == Approx(want[i][m].get<double>()).epsilon(1e-12));
        }
      }
    }
  }
}

TEST_CASE("followers at a post's time are the nearest snapshot's, few snapshots or many") {
  TestDb db;
  plant_history(db, 20);
  const gl::TimePoint now = *gl::parse_iso8601(kPlantedNow);
  // Times before, between, on and after the snapshots, to the microsecond.
  std::vector<gl::TimePoint> times;
  for (int i = 0; i < 80; ++i)
    times.push_back(now - std::chrono::hours(2000) + std::chrono::minutes(1500 * i) +
                    std::chrono::microseconds(i % 3 == 0 ? 0 : 17 * i));
  // The statement the learners ran for every time, as the reference.
  const auto expected = [&](pqxx::transaction_base& t) {
    std::vector<std::optional<double>> out;
    for (const auto& tp : times) {
      const auto r = t.exec_params1(
          "SELECT coalesce((SELECT followers_count FROM follower_snapshots WHERE account_id = 1 "
          "AND taken_at <= $1::timestamptz ORDER BY taken_at DESC LIMIT 1), (SELECT "
          "followers_count FROM follower_snapshots WHERE account_id = 1 AND taken_at > "
          "$1::timestamptz ORDER BY taken_at LIMIT 1))::float8",
          gl::format_iso8601(tp));
      out.push_back(r[0].is_null() ? std::nullopt : std::optional<double>(r[0].as<double>()));
    }
    return out;
  };
  for (const int snapshots : {0, 3, 40, 700}) {
    INFO(snapshots << " snapshots");
    pqxx::work w(db.conn());
    w.exec("DELETE FROM follower_snapshots");
    // One exactly on a time (times[30]), the rest every 70 hours plus some microseconds.
    w.exec_params(
        "INSERT INTO follower_snapshots (account_id, taken_at, followers_count) "
        "SELECT 1, $1::timestamptz - interval '2100 hours' + n * interval '70 hours' + "
        "  n * interval '13 microseconds', 1000 + 7 * n FROM generate_series(1, $2) n",
        gl::format_iso8601(now), snapshots);
    if (snapshots > 0)
      w.exec_params(
          "INSERT INTO follower_snapshots (account_id, taken_at, followers_count) "
          "VALUES (1, $1::timestamptz, 5) ON CONFLICT DO NOTHING",
          gl::format_iso8601(times[30]));
    const auto got = gl::jobs::followers_at(w, 1, times);
    const auto want = expected(w);
    for (size_t i = 0; i < times.size(); ++i) {
      INFO("time " << i << " " << gl::format_iso8601(times[i]));
      CHECK(got[i].value_or(-1) == want[i].value_or(-1));
    }
    CHECK(gl::jobs::followers_at(w, 1, {times[30]}) ==
          std::vector<std::optional<double>>{expected(w)[30]});
    w.abort();
  }
}
