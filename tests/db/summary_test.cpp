// learn-hourly's learning summary shows its evidence (ranked entries carry
// posts, effect, interval and confidence; too little evidence is listed, not
// ranked; old data is called stale), and its predictor trains on what is
// known, says truly why it cannot, and is used by plan-post only when it
// beats the mean.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "learn/predictor.h"
#include "learn/stats.h"
#include "support/planted.h"
#include "support/sandbox.h"

using namespace gl::test;
using nlohmann::json;

namespace {

Result tool(TestDb& db, std::vector<std::string> args, const std::string& now = kPlantedNow) {
  args.push_back("--now");
  args.push_back(now);
  return run(args, db.url());
}

json learn_hourly(TestDb& db, const std::string& now = kPlantedNow) {
  Result r = tool(db, {"learn-hourly"}, now);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

// Posts of account 1 from a SELECT giving: topic, impressions, likes, retweets,
// replies (NULL: X did not report it), posted_at, with i as the row's number.
void plant(TestDb& db, const std::string& select, int first_id) {
  pqxx::work w(db.conn());
  w.exec(
      "INSERT INTO accounts (handle, timezone) VALUES ('planted', 'UTC') ON CONFLICT DO NOTHING");
  w.exec_params0(
      "WITH src AS (SELECT s.*, (1950000000000000000 + $1::int8 + s.i)::text AS tweet_id, "
      "  s.topic || ' post ' || s.i || ': why does it work?' AS content FROM (" +
          select +
          ") s), "
          "cm AS (INSERT INTO content_metadata (account_id, generator_name, topic, hook_type, "
          "  content, status, scheduled_at, posted_at, tweet_id) "
          "  SELECT 1, 'coach', topic, 'question', content, "
          "  'posted', posted_at, posted_at, tweet_id FROM src RETURNING decision_id, tweet_id) "
          "INSERT INTO learning_posts (account_id, tweet_id, decision_id, content, generator_name, "
          "  topic, hook_type, format, posted_at, posted_hour_local, posted_weekday_local, "
          "  impressions, likes, retweets, replies, quotes, bookmarks, engagement_rate, available, "
          "  passed_gates, collected_at) "
          "SELECT 1, s.tweet_id, cm.decision_id, s.content, 'coach', s.topic, "
          "  'question', 'single', s.posted_at, extract(hour FROM s.posted_at AT TIME ZONE 'UTC'), "
          "  extract(dow FROM s.posted_at AT TIME ZONE 'UTC'), s.impressions, s.likes, s.retweets, "
          "  s.replies, 0, 0, "
          "  CASE WHEN s.impressions > 0 AND s.replies IS NOT NULL AND s.retweets IS NOT NULL "
          "    THEN (s.likes + s.retweets + s.replies)::float8 / s.impressions END, "
          "  true, coalesce(s.impressions >= 100 AND s.likes >= 5, false), $2 "
          "FROM src s JOIN cm USING (tweet_id)",
      first_id, kPlantedNow);
  w.commit();
}

const json* find_key(const json& entries, const json& key) {
  for (const auto& e : entries)
    if (e["key"] == key) return &e;
  return nullptr;
}

void check_entry(const json& e) {
  INFO(e.dump());
  REQUIRE(e["posts"].is_number_integer());
  REQUIRE(e["interval"].size() == 2);
  const double low = e["interval"][0], high = e["interval"][1], effect = e["effect"];
  CHECK(low <= effect);
  CHECK(effect <= high);
  CHECK(e["confidence"].get<double>() >= 0);
  CHECK(e["confidence"].get<double>() <= 1);
}

}  // namespace

TEST_CASE(
    "every ranked entry carries posts, effect, interval and confidence, and clears the rule") {
  TestDb db;
  plant_history(db, 180);
  plant_ungated(db, 9);
  const json s = learn_hourly(db);
  CHECK(s["evidence_rule"]["min_posts"] == gl::learn::kMinEvidencePosts);
  CHECK(s["evidence_rule"]["stale_after_days"] == 30);
  CHECK_FALSE(s.contains("stale_data"));
  CHECK(s["newest_gated_post"].is_string());
  for (const char* family : {"topic", "hour", "hook", "persona", "formula"}) {
    INFO(family);
    REQUIRE(s["ranked"][family].is_array());
    REQUIRE(s["insufficient_evidence"][family].is_array());
    for (const auto& e : s["ranked"][family]) {
      check_entry(e);
      CHECK(e["posts"].get<long long>() >= 5);
      CHECK((e["interval"][0].get<double>() > 0 || e["interval"][1].get<double>() < 0));
    }
    for (const auto& e : s["insufficient_evidence"][family]) {
      check_entry(e);
      CHECK((e["posts"].get<long long>() < 5 ||
             (e["interval"][0].get<double>() <= 0 && e["interval"][1].get<double>() >= 0)));
    }
  }
  // The planted winners, each ranked with an effect above the account's mean.
  CHECK(s["top_performing_topics"] == json::array({"sleep"}));
  CHECK(s["best_posting_hours"][0] == 19);
  // dataNerd's planted edge in reward is small: 63 posts, but an interval
  // that holds 0, so it is listed first among the insufficient, not ranked.
  REQUIRE_FALSE(s["insufficient_evidence"]["persona"].empty());
  CHECK(s["ranked"]["persona"].empty());
  for (const auto& [list, family] :
       {std::pair{"top_performing_topics", "topic"}, std::pair{"best_posting_hours", "hour"},
        std::pair{"effective_hooks", "hook"}}) {
    for (const auto& key : s[list]) {
      const json* e = find_key(s["ranked"][family], key);
      REQUIRE(e);
      CHECK((*e)["effect"].get<double>() > 0);
    }
  }
  const auto& data_nerd = s["generator_performance"]["dataNerd"];
  CHECK(data_nerd["effect"].get<double>() > 0);
  CHECK(data_nerd["ranked"] == false);
  CHECK(data_nerd["interval"][0].get<double>() < 0);
  CHECK(data_nerd["posts"] == 63);
  CHECK(data_nerd["mean_engagement_rate"].get<double>() > 0);
  CHECK_FALSE(s["generator_performance"].contains("provocateur"));  // its posts fail the gates
  // The planted posts name no formula: nothing to rank, nothing claimed.
  CHECK(s["ranked"]["formula"].empty());
  CHECK(s["insufficient_evidence"]["formula"].empty());
}

TEST_CASE(
    "an item with fewer than 5 posts is listed as insufficient evidence, however well it did") {
  TestDb db;
  plant_history(db, 180);
  // Three recent posts on "rare" with twenty times the views.
  plant(db,
        "SELECT i, 'rare' AS topic, 60000::int8 AS impressions, 2400::int8 AS likes, "
        "200::int8 AS retweets, 100::int8 AS replies, "
        "'2026-11-18T12:00:00Z'::timestamptz + i * interval '7 hours' AS posted_at "
        "FROM generate_series(1, 3) i",
        0);
  const json s = learn_hourly(db);
  CHECK(s["posts_used"] == 183);
  const json* rare = find_key(s["insufficient_evidence"]["topic"], "rare");
  REQUIRE(rare);
  CHECK((*rare)["posts"] == 3);
  CHECK((*rare)["effect"].get<double>() > 0);
  CHECK_FALSE(find_key(s["ranked"]["topic"], "rare"));
  for (const auto& t : s["top_performing_topics"]) CHECK(t != "rare");
}

TEST_CASE("items with many posts and no effect are not ranked, and nothing is called top") {
  TestDb db;
  // alpha and beta take turns with the same numbers: 60 posts each, no difference.
  plant(db,
        "SELECT i, CASE WHEN i % 2 = 0 THEN 'alpha' ELSE 'beta' END AS topic, "
        "(1000 + 100 * ((i / 2) % 10))::int8 AS impressions, (20 + (i / 2) % 7)::int8 AS likes, "
        "2::int8 AS retweets, 1::int8 AS replies, "
        "'2026-11-19T12:00:00Z'::timestamptz - (120 - i) * interval '5 hours' AS posted_at "
        "FROM generate_series(0, 119) i",
        0);
  const json s = learn_hourly(db);
  CHECK(s["posts_used"] == 120);
  CHECK(s["top_performing_topics"].empty());
  CHECK(s["ranked"]["topic"].empty());
  for (const char* topic : {"alpha", "beta"}) {
    const json* e = find_key(s["insufficient_evidence"]["topic"], topic);
    REQUIRE(e);
    CHECK((*e)["posts"] == 60);
    CHECK(std::abs((*e)["effect"].get<double>()) < 0.05);
    CHECK((*e)["confidence"].get<double>() == Approx(0.5).margin(0.1));
  }
}

TEST_CASE("with no gated post in the last 30 days the summary says its data is stale") {
  TestDb db;
  plant_history(db, 180);
  const auto at = [&](const char* offset) {
    return db.scalar(
        std::string("SELECT to_char((max(posted_at) + interval '") + offset +
        "') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM learning_posts");
  };
  const std::string newest = at("0 days");
  // 29 days after the newest post: still current, and sleep still ranks first.
  const json fresh = learn_hourly(db, at("29 days"));
  CHECK_FALSE(fresh.contains("stale_data"));
  CHECK(fresh["top_performing_topics"][0] == "sleep");
  // 31 days after: the same evidence, no longer presented as current.
  const json old = learn_hourly(db, at("31 days"));
  REQUIRE(old.contains("stale_data"));
  CHECK(old["stale_data"]["newest_post"] == newest);
  CHECK(old["stale_data"]["days_since_newest_post"].get<double>() == Approx(31).margin(0.01));
  CHECK(old["stale_data"]["ranked_then"]["topic"][0]["key"] == "sleep");
  CHECK(old["newest_gated_post"] == newest);
  CHECK(old["top_performing_topics"].empty());
  CHECK(old["best_posting_hours"].empty());
  CHECK(old["effective_hooks"].empty());
  CHECK(old["generator_performance"].empty());
  for (const auto& [family, entries] : old["ranked"].items()) CHECK(entries.empty());
  CHECK(old["posts_used"] == 180);  // the posts are still counted, not hidden
}

TEST_CASE("without views or replies the predictor learns likes and gives the true reasons") {
  TestDb db;
  // 40 old posts as X reports them today: likes and retweets, no views, no replies.
  plant(db,
        "SELECT i, 'sleep' AS topic, NULL::int8 AS impressions, (5 + (i * 7) % 23)::int8 AS likes, "
        "(i % 4)::int8 AS retweets, NULL::int8 AS replies, "
        "'2026-06-01T12:00:00Z'::timestamptz + i * interval '26 hours' AS posted_at "
        "FROM generate_series(1, 40) i",
        0);
  const json s = learn_hourly(db);
  // The summary learns nothing from them and says why.
  CHECK(s["posts_used"] == 0);
  CHECK(s["posts_skipped"]["views_unknown"] == 40);
  CHECK(s["top_performing_topics"].empty());
  CHECK(s["newest_gated_post"].is_null());
  const json& p = s["predictor"];
  INFO(p.dump());
  CHECK(p["trained"] == true);
  CHECK(p["posts"] == 40);
  CHECK(p["views_unknown"] == 40);
  CHECK(p["targets"]["log_views"]["trained"] == false);
  CHECK(p["targets"]["log_views"]["reason"] == "X reported no view count for any of the 40 posts");
  CHECK(p["targets"]["engagement_rate"]["trained"] == false);
  CHECK(p["targets"]["engagement_rate"]["reason"].get<std::string>().find("replies for 40") !=
        std::string::npos);
  const json& likes = p["targets"]["log_likes"];
  CHECK(likes["trained"] == true);
  CHECK(likes["known"] == 40);
  CHECK(likes["holdout_samples"] == 8);
  CHECK(likes["beats_mean"] ==
        (likes["holdout_rmse"].get<double>() < likes["baseline_rmse"].get<double>() &&
         likes["holdout_gain"].get<double>() >
             gl::learn::kBeatMeanZ * likes["holdout_gain_se"].get<double>()));
  CHECK(likes["holdout_spearman"].is_number());
  CHECK(p.dump().find("gated posts") == std::string::npos);  // the old, wrong reason
  CHECK(db.scalar("SELECT params ? 'log_views' FROM predictor_models") == "f");
}

TEST_CASE("with too few posts the predictor refuses with the true count and stores nothing") {
  TestDb db;
  plant(db,
        "SELECT i, 'sleep' AS topic, (500 + 10 * i)::int8 AS impressions, 20::int8 AS likes, "
        "2::int8 AS retweets, 1::int8 AS replies, "
        "'2026-11-10T12:00:00Z'::timestamptz + i * interval '9 hours' AS posted_at "
        "FROM generate_series(1, 12) i",
        0);
  const json p = learn_hourly(db)["predictor"];
  INFO(p.dump());
  CHECK(p["trained"] == false);
  CHECK(p["posts"] == 12);
  const std::string reason = p["reason"];
  CHECK(reason.find("log_views: 12 posts with a view count, fewer than the 15 needed") !=
        std::string::npos);
  CHECK(reason.find("engagement_rate: 12 posts with an engagement rate") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM predictor_models") == "0");
}

TEST_CASE("no gated post gives no account mean, and one post no interval, never a width of 0") {
  TestDb db;
  db.scalar("INSERT INTO accounts (handle, timezone) VALUES ('planted', 'UTC') RETURNING 1");
  plant_ungated(db, 4);
  const json none = learn_hourly(db);
  CHECK(none["account_mean_reward"].is_null());
  Result r = tool(db, {"report", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json page = json::parse(r.out);
  CHECK(page["when_to_post"]["account_mean_reward"].is_null());
  CHECK(page["what_works"]["account_mean_reward"].is_null());

  plant(db,
        "SELECT 1 AS i, 'sleep' AS topic, 900::int8 AS impressions, 20::int8 AS likes, "
        "2::int8 AS retweets, 1::int8 AS replies, '2026-11-18T12:00:00Z'::timestamptz AS "
        "posted_at",
        0);
  CHECK(learn_hourly(db)["account_mean_reward"].is_number());
  r = tool(db, {"report", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  page = json::parse(r.out);
  const json& weeks = page["learning_curve"]["weeks"];
  REQUIRE(weeks.size() == 1);
  CHECK(weeks[0]["posts"] == 1);
  CHECK(weeks[0]["interval"].is_null());
  CHECK(page["when_to_post"]["account_mean_reward"].is_number());
}

TEST_CASE("plan-post predicts with the stored model only while it beats the mean") {
  TestDb db;
  plant_history(db, 180);
  const json p = learn_hourly(db)["predictor"];
  INFO(p.dump());
  const json& views = p["targets"]["log_views"];
  // The planted views follow topic and hour: the model beats the mean by far.
  CHECK(views["holdout_rmse"].get<double>() < 0.5 * views["baseline_rmse"].get<double>());
  CHECK(views["holdout_spearman"].get<double>() > 0.5);
  CHECK(views["used_for_planning"] == true);
  CHECK(p["used_for_planning"] == true);
  CHECK(db.scalar("SELECT metrics->'targets'->'log_views'->>'used_for_planning' FROM "
                  "predictor_models") == "true");

  Result used = tool(db, {"plan-post", "--dry-run", "--seed", "1"});
  INFO(used.err);
  REQUIRE(used.exit_code == 0);
  CHECK(json::parse(used.out)["predicted"]["views"].get<double>() > 100);

  // The same model, stored as not beating the mean, is not used.
  db.scalar(
      "UPDATE predictor_models SET metrics = jsonb_set(jsonb_set(jsonb_set(metrics, "
      "'{targets,log_views,used_for_planning}', 'false'), "
      "'{targets,log_likes,used_for_planning}', 'false'), "
      "'{targets,engagement_rate,used_for_planning}', 'false') RETURNING 1");
  Result unused = tool(db, {"plan-post", "--dry-run", "--seed", "1"});
  REQUIRE(unused.exit_code == 0);
  const json predicted = json::parse(unused.out)["predicted"];
  CHECK(predicted["views"].is_null());
  CHECK(predicted["likes"].is_null());
  CHECK(predicted["engagement_rate"].is_null());
}
