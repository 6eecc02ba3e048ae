// The rules of the learning in C++ (learn/rules.h) and in SQL (jobs/learning_sql.h)
// evaluated on the same hand-made rows: they must agree row by row, NULLs included.
#include "learn/rules.h"

#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "db/connection.h"
#include "jobs/learning_data.h"
#include "jobs/learning_sql.h"
#include "support/harness.h"

using namespace gl;
using gl::learn::Count;

namespace {

constexpr const char* kNow = "2026-11-20T12:00:00Z";
const std::optional<double> kNoFollowers;
const Count kNull;

struct Row {
  const char* what;
  learn::PostOutcome post;
  bool available;
  double age_hours;
};

Row row(const char* what, Count imp, Count likes, Count rts, Count replies, Count quotes, Count bms,
        Count clicks, std::optional<double> followers, double age_hours = 48,
        bool available = true) {
  learn::PostOutcome p;
  p.impressions = imp;
  p.likes = likes;
  p.retweets = rts;
  p.replies = replies;
  p.quotes = quotes;
  p.bookmarks = bms;
  p.profile_clicks = clicks;
  p.followers_gained = followers;
  return {what, p, available, age_hours};
}

// Every column NULL somewhere, zero impressions, and each threshold from both sides.
std::vector<Row> rows() {
  return {
      row("typical", 1000, 30, 3, 2, 1, 4, 6, 1.5),
      row("all unknown", kNull, kNull, kNull, kNull, kNull, kNull, kNull, kNoFollowers),
      row("zero impressions", 0, 0, 0, 0, 0, 0, 0, 0.0),
      row("99 views", 99, 10, 1, 1, 1, 1, 1, 0.5),
      row("100 views", 100, 10, 1, 1, 1, 1, 1, 0.5),
      row("4 likes", 1000, 4, 1, 1, 0, 0, 2, 0.0),
      row("5 likes", 1000, 5, 1, 1, 0, 0, 2, 0.0),
      row("exactly 2 h", 1000, 30, 3, 2, 1, 4, 6, 1.0, 2.0),
      row("just under 2 h", 1000, 30, 3, 2, 1, 4, 6, 1.0, 1.99),
      row("posted a minute ago", 150, 6, 0, 0, 0, 0, 0, 0.0, 1.0 / 60),
      row("1.975%", 4000, 70, 5, 4, 0, 0, 3, 0.0),
      row("2%", 4000, 70, 5, 4, 1, 0, 3, 0.0),
      row("4999 views", 4999, 10, 0, 0, 0, 0, 0, 0.0),
      row("5000 views", 5000, 10, 0, 0, 0, 0, 0, 0.0),
      row("retweets unknown", 1000, 30, kNull, 2, 1, 1, 3, 1.0),
      row("replies unknown", 1000, 30, 2, kNull, 1, 1, 3, 1.0),
      row("quotes and bookmarks unknown", 1000, 15, 3, 2, kNull, kNull, 3, 1.0),
      row("likes unknown, many views", 6000, kNull, 5, 5, 5, 5, 5, 2.0),
      row("views unknown", kNull, 50, 5, 5, 5, 5, 5, 2.0),
      row("clicks and followers unknown", 800, 12, 1, 1, 0, 0, kNull, kNoFollowers),
      row("followers lost", 1000, 20, 2, 1, 0, 0, 4, -2.5),
      row("unavailable", 2000, 50, 5, 5, 0, 0, 9, 3.0, 48, false),
      row("viral", 20000, 300, 50, 20, 10, 30, 40, 12.0),
  };
}

std::string tweet_id(size_t i) { return std::to_string(1910000000000000000LL + i); }

void insert(test::TestDb& db, const std::vector<Row>& rs, TimePoint now) {
  pqxx::work w(db.conn());
  w.exec("INSERT INTO accounts (handle, timezone) VALUES ('rules', 'UTC')");
  for (size_t i = 0; i < rs.size(); ++i) {
    const Row& r = rs[i];
    const auto posted = now - std::chrono::duration_cast<TimePoint::duration>(
                                  std::chrono::duration<double>(r.age_hours * 3600));
    const std::string at = format_iso8601(posted);
    const auto decision =
        w.exec_params1(
             "INSERT INTO content_metadata (account_id, generator_name, topic, content, status, "
             "scheduled_at, posted_at, tweet_id) VALUES (1, 'coach', 'sleep', $1, 'posted', $2, "
             "$2, $3) RETURNING decision_id::text",
             r.what, at, tweet_id(i))[0]
            .as<std::string>();
    const auto& p = r.post;
    w.exec_params0(
        "INSERT INTO learning_posts (account_id, tweet_id, decision_id, content, generator_name, "
        "  topic, format, posted_at, posted_hour_local, posted_weekday_local, impressions, likes, "
        "  retweets, replies, quotes, bookmarks, profile_clicks, engagement_rate, "
        "  followers_gained, available, collected_at) "
        "VALUES (1, $1, $2, $3, 'coach', 'sleep', 'single', $4, 0, 0, $5, $6, $7, $8, $9, $10, "
        "  $11, $12, $13, $14, $15)",
        tweet_id(i), decision, r.what, at, p.impressions, p.likes, p.retweets, p.replies, p.quotes,
        p.bookmarks, p.profile_clicks, learn::engagement_rate(p), p.followers_gained, r.available,
        kNow);
  }
  w.commit();
}

bool same(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b) return !a && !b;
  return *a == Approx(*b).epsilon(1e-12).margin(1e-15);
}

}  // namespace

TEST_CASE("gates, success, engagement rate and reward agree in C++ and SQL, row by row") {
  test::TestDb db;
  const TimePoint now = *parse_iso8601(kNow);
  const auto rs = rows();
  insert(db, rs, now);

  // The C++ side.
  std::vector<learn::GateResult> gates;
  std::vector<learn::PostOutcome> gated;
  std::map<std::string, long long> first_failures;
  for (const auto& r : rs) {
    gates.push_back(learn::evaluate_gates(r.post, r.age_hours, r.available));
    if (gates.back().passed) gated.push_back(r.post);
    first_failures[gates.back().passed ? "used" : gates.back().failures[0]]++;
  }
  const learn::ActionValues rates = learn::account_rates(gated);

  // The SQL side, on the same rows.
  const jobs::LearningScope scope{1, now, "single"};
  pqxx::read_transaction t(db.conn());
  const auto prior = jobs::LearningQuery(scope).exec(t, "SELECT * FROM prior");
  REQUIRE(prior.size() == 1);
  for (size_t a = 0; a < learn::kRewardActionCount; ++a) {
    INFO("account rate of " << learn::kRewardActions[a].name);
    CHECK(same(prior[0][learn::kRewardActions[a].name].as<double>(), rates[a]));
  }
  const auto sql = jobs::LearningQuery(scope).exec(
      t, "SELECT p.tweet_id, p.gate_failure, p.success, " + jobs::engagement_rate_sql("p") + ", " +
             jobs::meets_success_sql("p") + ", " + jobs::reward_sql("p") +
             ", s.reward, p.engagement_rate FROM posts p CROSS JOIN prior "
             "LEFT JOIN scored s USING (tweet_id) ORDER BY p.tweet_id");
  // The post from a minute ago is counted; posts after scope.now would not be.
  REQUIRE(sql.size() == rs.size());
  size_t scored = 0;
  for (size_t i = 0; i < rs.size(); ++i) {
    const Row& r = rs[i];
    const auto& g = gates[i];
    const auto& s = sql[i];
    INFO("row: " << r.what);
    REQUIRE(s[0].as<std::string>() == tweet_id(i));
    CHECK(s[1].is_null() == g.passed);
    if (!g.passed) CHECK(s[1].as<std::string>() == g.failures[0]);
    CHECK(s[2].as<bool>() == g.successful);
    CHECK(same(db::optional_double(s[3]), learn::engagement_rate(r.post)));
    CHECK(same(db::optional_double(s[7]), db::optional_double(s[3])));  // stored = SQL
    CHECK(s[4].as<bool>() == learn::meets_success(r.post));
    CHECK(same(s[5].as<double>(), learn::post_reward(r.post, rates)));
    CHECK(s[6].is_null() == !g.passed);
    if (g.passed) {
      CHECK(same(s[6].as<double>(), learn::post_reward(r.post, rates)));
      ++scored;
    }
  }
  CHECK(scored == gated.size());
  CHECK(scored > 5);  // the rows test something on both sides of the gates
  CHECK(scored < rs.size() - 5);

  // The report counts each skipped post under its first failure.
  const Json report = jobs::gate_report(t, scope);
  CHECK(report["posts_used"] == first_failures["used"]);
  for (const auto& [reason, n] : first_failures) {
    if (reason != "used") CHECK(report["posts_skipped"][reason] == n);
  }
  CHECK(report["posts_skipped"].size() == first_failures.size() - 1);
}

TEST_CASE("outside posts' engagement rate follows the same NULL rule") {
  test::TestDb db;
  const auto rs = rows();
  {
    pqxx::work w(db.conn());
    w.exec("INSERT INTO accounts (handle) VALUES ('rules')");
    for (size_t i = 0; i < rs.size(); ++i) {
      const auto& p = rs[i].post;
      w.exec_params0(
          "INSERT INTO vi_tweets (account_id, tweet_id, author_handle, content, impressions, "
          "likes, retweets, replies, quotes, bookmarks, collected_at) "
          "VALUES (1, $1, 'someone', $2, $3, $4, $5, $6, $7, $8, $9)",
          tweet_id(i), rs[i].what, p.impressions, p.likes, p.retweets, p.replies, p.quotes,
          p.bookmarks, kNow);
    }
    w.commit();
  }
  pqxx::read_transaction t(db.conn());
  const auto sql = t.exec("SELECT " + gl::jobs::engagement_rate_sql("v") + ", " +
                          gl::jobs::meets_success_sql("v") + " FROM vi_tweets v ORDER BY tweet_id");
  REQUIRE(sql.size() == rs.size());
  for (size_t i = 0; i < rs.size(); ++i) {
    INFO("row: " << rs[i].what);
    CHECK(same(db::optional_double(sql[i][0]), learn::engagement_rate(rs[i].post)));
    CHECK(sql[i][1].as<bool>() == learn::meets_success(rs[i].post));
  }
}

TEST_CASE("learn-hourly --print-rules prints the rules the learners use, without a database") {
  const test::Result r = test::run({"learn-hourly", "--print-rules"}, "postgresql://nowhere:9/x");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto printed = nlohmann::json::parse(r.out);
  CHECK(printed == learn::rules_json());
  CHECK(printed["reward"]["weights"]["replies"] == 27.0);
  CHECK(printed["gates"]["min_views"] == 100);
}
