#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "db/migrations.h"
#include "support/harness.h"

using namespace gl::test;
using nlohmann::json;

TEST_CASE("migrate applies every migration to an empty database, then does nothing") {
  TestDb db(/*migrate=*/false);
  Result first = run({"migrate"}, db.url());
  REQUIRE(first.exit_code == 0);
  CHECK(first.err.empty());
  const auto all = gl::db::embedded_migrations();
  CHECK(json::parse(first.out)["applied"].size() == all.size());
  CHECK(db.scalar("SELECT count(*) FROM schema_migrations") == std::to_string(all.size()));
  // 22 personas, and the disabled generator of imported history (0005).
  CHECK(db.scalar("SELECT count(*) FROM generators WHERE enabled") == "22");
  CHECK(db.scalar("SELECT string_agg(generator_name, ',') FROM generators WHERE NOT enabled") ==
        "imported");

  Result again = run({"migrate"}, db.url());
  REQUIRE(again.exit_code == 0);
  CHECK(json::parse(again.out)["applied"].empty());

  Result status = run({"migrate", "--status"}, db.url());
  REQUIRE(status.exit_code == 0);
  CHECK(status.out.find("\"state\":\"applied\"") != std::string::npos);
  CHECK(status.out.find("pending") == std::string::npos);
  CHECK(status.err.empty());

  // A migration the build has and the database has not: said, and the run fails.
  db.scalar("DELETE FROM schema_migrations WHERE name = '" + all.back().name + "' RETURNING 1");
  Result behind = run({"migrate", "--status"}, db.url());
  CHECK(behind.exit_code == 1);
  CHECK(behind.err.find("migration " + all.back().name + " is pending: run migrate") !=
        std::string::npos);
}

TEST_CASE("migrate refuses to run when an applied migration's file changed") {
  TestDb db;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gl_migrations_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::copy(source_dir() + "/migrations", dir);
  {
    std::ofstream f(dir / "0002_generators.sql", std::ios::app);
    f << "\n-- edited after it was applied\n";
  }
  Result r = run({"migrate", "--dir", dir.string()}, db.url());
  fs::remove_all(dir);
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("0002_generators") != std::string::npos);
  CHECK(r.err.find("changed") != std::string::npos);
}

TEST_CASE("two concurrent migrate runs end with one schema") {
  TestDb db(/*migrate=*/false);
  Command c{{"migrate"}, "", {{"DATABASE_URL", db.url()}}};
  Process a(c), b(c);
  Result ra = a.wait(), rb = b.wait();
  INFO(ra.err << rb.err);
  CHECK((ra.exit_code == 0 || ra.exit_code == 75));
  CHECK((rb.exit_code == 0 || rb.exit_code == 75));
  CHECK(db.scalar("SELECT count(*) FROM schema_migrations") ==
        std::to_string(gl::db::embedded_migrations().size()));
  CHECK(run({"migrate"}, db.url()).exit_code == 0);
}

TEST_CASE("a database where two accounts became one X user is named, not half-migrated") {
  TestDb db(/*migrate=*/false);
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gl_before_0016_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& f : fs::directory_iterator(source_dir() + "/migrations"))
    if (f.path().filename().string() < "0016") fs::copy(f.path(), dir / f.path().filename());
  REQUIRE(run({"migrate", "--dir", dir.string()}, db.url()).exit_code == 0);
  fs::remove_all(dir);
  db.scalar(
      "INSERT INTO accounts (handle, x_user_id) VALUES ('alice', '42'), ('bob', '42'), "
      "('carol', '7') RETURNING 1");
  Result r = run({"migrate"}, db.url());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("X user 42 is @alice and @bob") != std::string::npos);
  CHECK(r.err.find("UPDATE accounts SET x_user_id = NULL WHERE handle") != std::string::npos);
  CHECK(db.scalar("SELECT count(*) FROM schema_migrations WHERE name LIKE '0016%'") == "0");
  db.scalar("UPDATE accounts SET x_user_id = NULL WHERE handle = 'bob' RETURNING 1");
  CHECK(run({"migrate"}, db.url()).exit_code == 0);
}

TEST_CASE("tools refuse to run on a schema older than their build") {
  TestDb db(/*migrate=*/false);
  Result r = run({"accounts", "list"}, db.url());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("run migrate") != std::string::npos);
}

TEST_CASE("constraints reject rows that cannot be") {
  TestDb db;
  pqxx::connection& c = db.conn();
  {
    pqxx::work w(c);
    w.exec("INSERT INTO accounts (handle) VALUES ('growth_acct')");
    w.exec(
        "INSERT INTO content_metadata (account_id, decision_id, generator_name, topic, content) "
        "VALUES (1, '00000000-0000-0000-0000-000000000001', 'dataNerd', 'sleep', 'hello')");
    w.commit();
  }
  const auto rejects = [&](const std::string& sql) {
    try {
      pqxx::work w(c);
      w.exec(sql);
      w.commit();
      return false;
    } catch (const pqxx::sql_error&) {
      return true;
    }
  };
  CHECK(rejects("INSERT INTO accounts (handle) VALUES ('not a handle!')"));
  CHECK(rejects("INSERT INTO accounts (handle) VALUES ('GROWTH_ACCT')"));  // case-insensitive
  CHECK(rejects("UPDATE content_metadata SET status = 'bogus'"));
  CHECK(rejects("UPDATE content_metadata SET status = 'posted'"));  // no tweet id
  CHECK(rejects("UPDATE content_metadata SET actual_likes = -1"));
  CHECK(rejects("UPDATE content_metadata SET tweet_id = '12ab'"));
  CHECK(
      rejects("INSERT INTO content_metadata (account_id, generator_name, topic, content) "
              "VALUES (1, 'noSuchPersona', 'sleep', 'x')"));
  CHECK(
      rejects("INSERT INTO content_metadata (account_id, generator_name, topic, content) "
              "VALUES (1, 'dataNerd', 'sleep', '   ')"));
  CHECK(
      rejects("INSERT INTO outcomes (account_id, decision_id, tweet_id, likes, collected_at) "
              "VALUES (1, '00000000-0000-0000-0000-000000000001', '1', -5, now())"));
  CHECK(
      rejects("INSERT INTO bandit_arms (account_id, family, arm_key, pulls, weight, reward_sum, "
              "reward_sq_sum, updated_at) VALUES (1, 'colour', 'red', 0, 0, 0, 0, now())"));
  // NaN passes `>= 0`: a NaN budget would lift harvest's spend cap.
  CHECK(rejects("INSERT INTO harvest_settings (account_id, daily_budget_usd) VALUES (1, 'NaN')"));
  CHECK(rejects("INSERT INTO harvest_settings (account_id, monthly_budget_usd) VALUES (1, 'NaN')"));
  CHECK_FALSE(rejects("UPDATE content_metadata SET actual_likes = NULL, actual_impressions = 0"));
}
