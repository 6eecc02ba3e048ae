// The learners' fast path (stored text analyses, the idle tick) against a run
// from scratch on the same data: the same tables and the same JSON, within
// floating-point tolerance; and plan-post, which reads the stored analyses
// too. A db-tier test: neither needs X.
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>

#include "support/planted.h"

using namespace gl::test;
using nlohmann::json;

namespace {

// Four days before kPlantedNow: enough posts arrive since (20 of 150) that the
// predictor chooses its penalties afresh (learn::penalty_current), as --full
// does; "the predictor reuses ..." below tests the reuse.
constexpr const char* kEarlier = "2026-11-16T12:00:00Z";
constexpr const char* kLearners[] = {"update-generators", "extract-formulas", "learn-hourly",
                                     "aggregate"};

// A history with texts of several kinds, and a few snapshots newer than kEarlier.
void history(TestDb& db) {
  plant_history(db, 150);
  plant_ungated(db, 6);
  plant_hook_texts(db);
  pqxx::work w(db.conn());
  w.exec(
      "UPDATE learning_posts SET likes = likes + 7, collected_at = '2026-11-19T12:00:00Z' "
      "WHERE right(tweet_id, 1) IN ('5', '6')");
  w.commit();
}

Result learner(TestDb& db, const std::string& tool, const std::string& now,
               std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {tool, "--now", now};
  args.insert(args.end(), extra.begin(), extra.end());
  Result r = run(args, db.url());
  INFO(tool << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  return r;
}

std::vector<json> lines(const std::string& out) {
  std::vector<json> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) v.push_back(json::parse(line));
  return v;
}

// Equal but for rounding, and for the keys that count runs rather than learn
// (a predictor's `penalty` says when its penalties were chosen).
void same(const json& a, const json& b, const std::string& at) {
  INFO(at);
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    CHECK(std::fabs(x - y) <= 1e-9 * std::max({1.0, std::fabs(x), std::fabs(y)}));
    return;
  }
  REQUIRE(a.type() == b.type());
  if (a.is_object()) {
    for (const auto& [k, v] : a.items()) {
      if (k == "version" || k == "embedded" || k == "retrained" || k == "texts_analysed" ||
          k == "penalty")
        continue;
      REQUIRE(b.contains(k));
      same(v, b[k], at + "." + k);
    }
    CHECK(a.size() == b.size());
  } else if (a.is_array()) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) same(a[i], b[i], at + "[" + std::to_string(i) + "]");
  } else {
    CHECK(a == b);
  }
}

// What the learners wrote that a planner reads, rounded (generator_stats' JSON
// columns are what update-generators prints: compared there, within tolerance).
std::string tables(TestDb& db) {
  return db.scalar(
      "SELECT string_agg(t, E'\\n' ORDER BY t) FROM ("
      "  SELECT row(generator_name, format, posts, round(mean_views::numeric, 6), "
      "    round(score::numeric, 9), round(confidence::numeric, 9), rank)::text AS t "
      "  FROM generator_stats "
      "  UNION ALL SELECT row(family, format, arm_key, pulls, round(weight::numeric, 9), "
      "    round(reward_sum::numeric, 9), round(posterior_mean::numeric, 9))::text "
      "  FROM bandit_arms "
      "  UNION ALL SELECT row(formula_key, format, name, structure, example, sample_size, "
      "    round(confidence::numeric, 9), sources, generators)::text FROM viral_formulas "
      "  UNION ALL SELECT row(cm.tweet_id, e.model, e.embedding)::text FROM content_embeddings e "
      "  JOIN content_metadata cm USING (account_id, decision_id)) s");
}

std::string last_stats(TestDb& db, const std::string& tool) {
  return db.scalar("SELECT stats::text FROM job_runs WHERE tool = '" + tool +
                   "' ORDER BY run_id DESC LIMIT 1");
}

}  // namespace

TEST_CASE(
    "the learners' fast path gives what a run from scratch gives, and an idle run repeats it") {
  TestDb fast, scratch;
  history(fast);
  history(scratch);

  // The fast path: a run three days earlier stored the text analyses and the
  // watermarks; new posts and snapshots arrived since.
  for (const char* tool : kLearners) learner(fast, tool, kEarlier);
  CHECK(fast.scalar("SELECT count(*) FROM post_text_features") != "0");
  std::map<std::string, std::vector<json>> out_fast, out_scratch, out_dry;
  for (const char* tool : kLearners) out_fast[tool] = lines(learner(fast, tool, kPlantedNow).out);
  CHECK(last_stats(fast, "learn-hourly").find("unchanged") == std::string::npos);

  // From scratch: nothing stored before; and a dry run, which analyses every
  // text in memory instead of reading the stored analyses.
  for (const char* tool : kLearners) {
    out_dry[tool] = lines(learner(scratch, tool, kPlantedNow, {"--full", "--dry-run"}).out);
  }
  CHECK(scratch.scalar("SELECT count(*) FROM post_text_features") == "0");
  for (const char* tool : kLearners)
    out_scratch[tool] = lines(learner(scratch, tool, kPlantedNow, {"--full"}).out);

  for (const char* tool : kLearners) {
    REQUIRE(out_fast[tool].size() == out_scratch[tool].size());
    REQUIRE(out_fast[tool].size() == out_dry[tool].size());
    for (size_t i = 0; i < out_fast[tool].size(); ++i) {
      same(out_fast[tool][i], out_scratch[tool][i], std::string(tool) + " vs scratch");
      same(out_fast[tool][i], out_dry[tool][i], std::string(tool) + " vs dry run");
    }
  }
  CHECK(tables(fast) == tables(scratch));
  const std::string newest_summary =
      "SELECT summary FROM learning_summaries ORDER BY summary_id DESC LIMIT 1";
  same(json::parse(fast.scalar(newest_summary)), json::parse(scratch.scalar(newest_summary)),
       "learning_summaries");
  CHECK(fast.scalar("SELECT params FROM predictor_models ORDER BY version DESC LIMIT 1") ==
        scratch.scalar("SELECT params FROM predictor_models ORDER BY version DESC LIMIT 1"));

  // How the rows lie on disk and the plans PostgreSQL picks for them are no
  // input: rewritten newest first (as VACUUM FULL or CLUSTER reorder them) and
  // analysed (as autovacuum does at any time), the same rows give the same
  // fingerprint.
  fast.scalar("CLUSTER learning_posts USING learning_posts_newest; ANALYZE; SELECT 1");

  // An hour later with nothing new: each learner only checks, says so, and
  // prints what its last run printed; learn-hourly still stores a summary.
  const std::string later = "2026-11-20T13:00:00Z";
  const std::string summaries = fast.scalar("SELECT count(*) FROM learning_summaries");
  const std::string before = tables(fast);
  for (const char* tool : kLearners) {
    INFO(tool);
    const auto again = lines(learner(fast, tool, later).out);
    CHECK(last_stats(fast, tool).find("\"skipped\": \"unchanged\"") != std::string::npos);
    REQUIRE(again.size() == out_fast[tool].size());
    for (size_t i = 0; i < again.size(); ++i) {
      json a = again[i], b = out_fast[tool][i];
      a.erase("at");
      b.erase("at");
      same(a, b, std::string(tool) + " idle");
    }
  }
  CHECK(tables(fast) == before);
  CHECK(std::stoi(fast.scalar("SELECT count(*) FROM learning_summaries")) ==
        std::stoi(summaries) + 1);

  // Two posts of 11:30 pass the 2 h age gate at 13:30: nothing was written,
  // yet what the learners learn from changed. Each runs in full and prints
  // what a full run at the same time prints.
  const std::string crossed = "2026-11-20T13:45:00Z";
  for (const char* tool : kLearners) {
    INFO(tool);
    auto full = lines(learner(fast, tool, crossed, {"--full", "--dry-run"}).out);
    auto tick = lines(learner(fast, tool, crossed).out);
    CHECK(last_stats(fast, tool).find("unchanged") == std::string::npos);
    REQUIRE(tick.size() == full.size());
    // Two more posts of 150: the tick's predictor keeps the penalties chosen at
    // kPlantedNow, and its reward model the half-life, where --full chooses
    // afresh (the test below compares those).
    if (std::string(tool) == "learn-hourly") {
      for (const auto& [name, t] : tick[0]["predictor"]["targets"].items())
        CHECK(t["penalty"]["reused"] == true);
      CHECK(std::to_string(tick[0]["reward_model_half_life_days"].get<int>()) ==
            fast.scalar("SELECT half_life_days FROM reward_memory"));
      for (json* out : {&tick[0], &full[0]}) {
        out->erase("predictor");
        out->erase("reward_model_half_life_days");
      }
    }
    for (size_t i = 0; i < tick.size(); ++i)
      same(tick[i], full[i], std::string(tool) + " past the age gate");
    if (std::string(tool) == "learn-hourly")
      CHECK(tick[0]["posts_used"].get<int>() == out_fast[tool][0]["posts_used"].get<int>() + 2);
  }

  // At 14:00 two posts of Nov 19 14:00 leave aggregate's 24 h roll-up and two
  // of Nov 13 14:00 leave update-generators' 7-day trend: those two run in
  // full (as a full run would print), the learners that read no window idle.
  const std::string moved = "2026-11-20T14:15:00Z";
  for (const char* tool : kLearners) {
    INFO(tool);
    const bool reads_window =
        std::string(tool) == "aggregate" || std::string(tool) == "update-generators";
    const auto full = lines(learner(fast, tool, moved, {"--full", "--dry-run"}).out);
    const auto tick = lines(learner(fast, tool, moved).out);
    CHECK((last_stats(fast, tool).find("unchanged") == std::string::npos) == reads_window);
    REQUIRE(tick.size() == full.size());
    if (!reads_window) continue;
    for (size_t i = 0; i < tick.size(); ++i)
      same(tick[i], full[i], std::string(tool) + " as the windows moved");
  }

  // Numbers that change without a newer collected_at (an older export imported
  // after a newer one) make the next run a full one too; so does pooling.
  fast.scalar(
      "UPDATE learning_posts SET likes = likes + 40 WHERE tweet_id = (SELECT min(tweet_id) FROM "
      "learning_posts) RETURNING 1");
  for (const char* tool : kLearners) {
    INFO(tool);
    learner(fast, tool, moved);
    CHECK(last_stats(fast, tool).find("unchanged") == std::string::npos);
  }
  fast.scalar("UPDATE accounts SET pooling = true RETURNING 1");
  learner(fast, "aggregate", moved);
  CHECK(last_stats(fast, "aggregate").find("unchanged") == std::string::npos);

  // A new snapshot makes the next run a full one; --full forces one.
  fast.scalar(
      "UPDATE learning_posts SET likes = likes + 1, collected_at = '2026-11-20T13:30:00Z' "
      "WHERE tweet_id = (SELECT max(tweet_id) FROM learning_posts) "
      "RETURNING 1");
  learner(fast, "update-generators", "2026-11-20T14:00:00Z");
  CHECK(last_stats(fast, "update-generators").find("unchanged") == std::string::npos);
  learner(fast, "aggregate", later, {"--full"});
  CHECK(last_stats(fast, "aggregate").find("unchanged") == std::string::npos);

  // plan-post's reward model reads the hooks the learners stored and analyses
  // only the posts without one: with the stored analyses and without, the
  // same plans with the same probabilities.
  const std::vector<std::string> plan = {"--seed", "5", "--count", "3", "--dry-run"};
  const auto stored = lines(learner(scratch, "plan-post", kPlantedNow, plan).out);
  CHECK(scratch.scalar("WITH d AS (DELETE FROM post_text_features RETURNING 1) "
                       "SELECT count(*) > 100 FROM d") == "t");
  const auto analysed = lines(learner(scratch, "plan-post", kPlantedNow, plan).out);
  REQUIRE(stored.size() == 3);
  REQUIRE(analysed.size() == stored.size());
  for (size_t i = 0; i < stored.size(); ++i) same(stored[i], analysed[i], "plan-post");
}

TEST_CASE(
    "the predictor reuses its stored penalties until 10% more posts arrived, and then gives "
    "the model a run from scratch gives") {
  TestDb db;
  plant_history(db, 150);
  const auto learn = [&](const std::vector<std::string>& extra = {}) {
    // Each run trains: nothing else stands between two runs at the same time.
    db.scalar("WITH d AS (DELETE FROM learner_watermarks RETURNING 1) SELECT count(*) FROM d");
    return lines(learner(db, "learn-hourly", kPlantedNow, extra).out).at(0)["predictor"];
  };
  const std::string newest =
      "SELECT params FROM predictor_models WHERE format = 'single' ORDER BY version DESC LIMIT 1";
  const auto without_penalty = [](json params) {
    for (auto& [name, t] : params.items()) t.erase("penalty");
    return params;
  };

  // From scratch: every penalty chosen; then the fast path reuses them, on the
  // same posts, and stores the same model.
  const json scratch = learn({"--full"});
  const json scratch_params = json::parse(db.scalar(newest));
  REQUIRE(scratch["targets"].size() == 3);
  for (const auto& [name, t] : scratch["targets"].items()) {
    INFO(name);
    REQUIRE(t["trained"] == true);
    CHECK(t["penalty"]["reused"] == false);
    CHECK(scratch_params[name]["penalty"]["samples"] == t["known"]);
  }
  const json fast = learn();
  for (const auto& [name, t] : fast["targets"].items()) CHECK(t["penalty"]["reused"] == true);
  same(fast["targets"], scratch["targets"], "fast path vs scratch");
  CHECK(without_penalty(json::parse(db.scalar(newest))) == without_penalty(scratch_params));
  CHECK(json::parse(db.scalar(newest)) == scratch_params);

  // The penalty stored with the model is the one used, whatever it is, while
  // fewer than 10% of the posts arrived since it was chosen...
  const auto store_penalty = [&](double lambda, const std::string& through_sql) {
    db.scalar(
        "UPDATE predictor_models SET params = jsonb_set(jsonb_set(params, "
        "'{log_views,penalty,all}', '" +
        std::to_string(lambda) + "'), '{log_views,penalty,through}', (" + through_sql +
        ")::text::jsonb) WHERE version = (SELECT max(version) FROM predictor_models) RETURNING 1");
  };
  const std::string newest_post =
      "SELECT extract(epoch FROM max(posted_at))::float8 FROM learning_posts";
  const double odd = scratch["targets"]["log_views"]["lambda"] == 300.0 ? 0.1 : 300.0;
  store_penalty(odd, newest_post);
  const json forced = learn();
  CHECK(forced["targets"]["log_views"]["penalty"]["reused"] == true);
  CHECK(forced["targets"]["log_views"]["lambda"] == odd);
  // ... and chosen afresh once they did: posts of the last 4 days (about 20 of
  // 150) arrived after the `through` stored here.
  store_penalty(odd, "(" + newest_post + ") - 4 * 86400");
  const json again = learn();
  CHECK(again["targets"]["log_views"]["penalty"]["reused"] == false);
  CHECK(again["targets"]["log_views"]["lambda"] == scratch["targets"]["log_views"]["lambda"]);
  CHECK(again["targets"]["log_likes"]["penalty"]["reused"] == true);
}

TEST_CASE(
    "plan-post reuses the reward model's half-life learn-hourly chose until a week passed, and "
    "then plans as a fit from scratch does") {
  TestDb db;
  plant_history(db, 150);
  const std::vector<std::string> plan = {"--seed", "5", "--count", "3", "--dry-run"};
  const auto plans = [&] { return lines(learner(db, "plan-post", kPlantedNow, plan).out); };
  const json summary = lines(learner(db, "learn-hourly", kPlantedNow).out).at(0);
  const int chosen = summary["reward_model_half_life_days"].get<int>();
  CHECK(db.scalar("SELECT half_life_days FROM reward_memory") == std::to_string(chosen));
  CHECK(db.scalar("SELECT posts > 100 FROM reward_memory") == "t");
  const auto reused = plans();
  REQUIRE(reused.size() == 3);
  const std::string stored = "INSERT INTO reward_memory SELECT * FROM saved";
  db.scalar(
      "CREATE TABLE saved AS SELECT * FROM reward_memory; DELETE FROM reward_memory; "
      "SELECT 1");
  const auto scratch = plans();  // no stored choice: the fit makes it
  for (size_t i = 0; i < scratch.size(); ++i) same(reused[i], scratch[i], "stored half-life");

  // The stored half-life is the one used, whatever it is...
  db.scalar(stored + "; UPDATE reward_memory SET half_life_days = " +
            std::to_string(chosen == 112 ? 7 : 112) + " RETURNING 1");
  CHECK(plans().at(0).dump() != scratch.at(0).dump());
  // ... until it is a week old.
  db.scalar("UPDATE reward_memory SET chosen_at = timestamptz '" + std::string(kPlantedNow) +
            "' - interval '7 days' RETURNING 1");
  const auto again = plans();
  for (size_t i = 0; i < scratch.size(); ++i) same(scratch[i], again[i], "a week-old choice");

  // learn-hourly keeps a current choice, and --full makes it again.
  const std::string odd = std::to_string(chosen == 112 ? 7 : 112);
  db.scalar("UPDATE reward_memory SET half_life_days = " + odd + ", chosen_at = '" + kPlantedNow +
            "'; DELETE FROM learner_watermarks; SELECT 1");
  learner(db, "learn-hourly", kPlantedNow);
  CHECK(db.scalar("SELECT half_life_days FROM reward_memory") == odd);
  learner(db, "learn-hourly", kPlantedNow, {"--full"});
  CHECK(db.scalar("SELECT half_life_days FROM reward_memory") == std::to_string(chosen));

  // It counts the gated posts it read: a choice made on about as many posts
  // holds, one made on a tenth fewer is made again.
  const std::string rerun = "; DELETE FROM learner_watermarks; SELECT 1";
  db.scalar("UPDATE reward_memory SET half_life_days = " + odd + ", posts = posts - 1" + rerun);
  learner(db, "learn-hourly", kPlantedNow);
  CHECK(db.scalar("SELECT half_life_days FROM reward_memory") == odd);
  db.scalar("UPDATE reward_memory SET posts = posts * 8 / 10" + rerun);
  learner(db, "learn-hourly", kPlantedNow);
  CHECK(db.scalar("SELECT half_life_days FROM reward_memory") == std::to_string(chosen));
}

TEST_CASE(
    "the idle tick counts every write to the learners' tables, in whatever order writers "
    "commit, and its compaction changes nothing") {
  TestDb db;
  plant_history(db, 40);
  const auto skipped = [&](const std::string& tool) {
    learner(db, tool, kPlantedNow);
    return last_stats(db, tool).find("\"skipped\": \"unchanged\"") != std::string::npos;
  };
  const std::string tool = "update-generators";
  CHECK_FALSE(skipped(tool));
  CHECK(skipped(tool));

  // A row written to any table the learners read is a change, and so is a
  // rewrite that changes no number; a statement that writes no row is none.
  const std::string id = "'1990000000000000001'", at = "'2026-11-19T12:00:00Z'";
  for (const auto& [table, insert] : std::vector<std::pair<std::string, std::string>>{
           {"follower_snapshots",
            "(account_id, taken_at, followers_count) VALUES (1, " + at + ", 120)"},
           {"vi_tweets",
            "(account_id, tweet_id, author_handle, content, collected_at) VALUES "
            "(1, " +
                id + ", 'someone', 'A post', " + at + ")"},
           {"peer_posts",
            "(account_id, tweet_id, peer_handle, content, collected_at) VALUES "
            "(1, " +
                id + ", 'peer', 'A post', " + at + ")"},
           {"reply_metrics", "(account_id, tweet_id, content, collected_at) VALUES (1, " + id +
                                 ", 'A reply', " + at + ")"},
           {"learning_posts", ""},
           {"content_metadata", ""}}) {
    INFO(table);
    if (!insert.empty()) {
      db.scalar("INSERT INTO " + table + " " + insert + "; SELECT 1");
      CHECK_FALSE(skipped(tool));
    }
    db.scalar("UPDATE " + table + " SET account_id = account_id; SELECT 1");
    CHECK_FALSE(skipped(tool));
    db.scalar("UPDATE " + table + " SET account_id = account_id WHERE false; SELECT 1");
    CHECK(skipped(tool));
  }

  // Two writers: the one that started first commits after the learner ran
  // with the other's write. Its change still makes the next run a full one.
  pqxx::connection early(db.url()), late(db.url());
  pqxx::work first(early);
  first.exec(
      "UPDATE learning_posts SET likes = likes + 1 WHERE tweet_id = "
      "(SELECT min(tweet_id) FROM learning_posts)");
  {
    pqxx::work second(late);
    second.exec(
        "UPDATE learning_posts SET likes = likes + 1 WHERE tweet_id = "
        "(SELECT max(tweet_id) FROM learning_posts)");
    second.commit();
  }
  CHECK_FALSE(skipped(tool));
  CHECK(skipped(tool));
  first.commit();
  CHECK_FALSE(skipped(tool));

  // Many changes are compacted into one row carrying their sum: the other
  // learners, whose last run saw them, stay idle.
  learner(db, "aggregate", kPlantedNow);
  for (int i = 0; i < 80; ++i)
    db.scalar(
        "UPDATE learning_posts SET likes = likes WHERE tweet_id = "
        "(SELECT min(tweet_id) FROM learning_posts); SELECT 1");
  const std::string rows = "SELECT count(*) FROM learning_input_changes WHERE account_id = 1";
  CHECK(std::stoi(db.scalar(rows)) > 80);
  CHECK_FALSE(skipped(tool));
  CHECK(db.scalar(rows) == "1");
  CHECK(skipped(tool));
  CHECK_FALSE(skipped("aggregate"));
  CHECK(skipped("aggregate"));
}
