// Bad flags, bad configuration and a busy or unreachable database, against
// the built tools and the real PostgreSQL (issue 15).
#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "support/harness.h"

using namespace gl::test;
using nlohmann::json;

namespace {

// An account with one post queued for 2026-11-20T12:00Z.
void add_account_and_queue(TestDb& db) {
  REQUIRE(run({"accounts", "add", "bad_input"}, db.url()).exit_code == 0);
  db.scalar(
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, status, "
      "scheduled_at) VALUES (1, 'coach', 'focus', 'Queued and waiting.', 'queued', "
      "'2026-11-20T12:00:00Z') RETURNING 1");
}

// OAuth 1.0a variables pointing at a port nobody listens on: enough for the
// configuration check, and any X call fails as a transport error.
std::map<std::string, std::string> x_env(const std::string& db_url) {
  return {{"DATABASE_URL", db_url}, {"X_API_BASE_URL", "http://127.0.0.1:9"},
          {"X_CONSUMER_KEY", "ck"}, {"X_CONSUMER_SECRET", "cs"},
          {"X_ACCESS_TOKEN", "at"}, {"X_ACCESS_TOKEN_SECRET", "ats"},
          {"X_MAX_RETRIES", "0"}};
}

Result run_env(std::vector<std::string> args, std::map<std::string, std::string> env) {
  return run(Command{std::move(args), "", std::move(env)});
}

}  // namespace

TEST_CASE("a --now outside 1970-2199, or empty, is bad usage and nothing is posted") {
  TestDb db;
  add_account_and_queue(db);
  for (const std::string now : {"1677-09-21T00:12:43Z", "2262-04-12T00:00:00Z", ""}) {
    Result r = run_env({"publish", "--now", now}, x_env(db.url()));
    INFO(now << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--now") != std::string::npos);
    CHECK(r.err.find(now.empty() ? "empty" : "outside the supported range") != std::string::npos);
  }
  CHECK(db.scalar("SELECT status FROM content_metadata") == "queued");
  CHECK(db.scalar("SELECT count(*) FROM job_runs") == "0");
  // A time flag given empty is no time, not "no bound".
  Result since = run({"evaluate", "--since", ""}, db.url());
  CHECK(since.exit_code == 2);
  CHECK(since.err.find("--since") != std::string::npos);
}

TEST_CASE("every number flag is finite and in range, with a message naming it") {
  TestDb db;
  add_account_and_queue(db);
  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const Case cases[] = {
      {{"plan-post", "--exploration", "nan"}, "--exploration"},
      {{"plan-post", "--epsilon", "nan"}, "--epsilon"},
      {{"plan-post", "--trending-probability", "nan"}, "--trending-probability"},
      {{"plan-post", "--trending-probability", "inf"}, "--trending-probability"},
      {{"plan-post", "--min-spacing-hours", "1e308"}, "--min-spacing-hours"},
      {{"plan-post", "--topic-cooldown-hours", "-1"}, "--topic-cooldown-hours"},
      {{"plan-post", "--count", "1e9"}, "--count"},
      {{"plan-post", "--daily-cap", "0"}, "--daily-cap"},
      {{"plan-post", "--seed", "-5"}, "--seed"},
      {{"publish", "--limit", "0"}, "--limit"},
      {{"publish", "--limit", "nan"}, "--limit"},
      {{"scrape-metrics", "--max-requests", "-1"}, "--max-requests"},
      {{"scrape-metrics", "--limit", "1e308"}, "--limit"},
      {{"x-sandbox", "--port", "70000"}, "--port"},
      {{"harvest", "--budget-usd", "nan"}, "--budget-usd"},
      {{"accounts", "harvest", "bad_input", "--daily-budget-usd", "nan"}, "--daily-budget-usd"},
      {{"accounts", "harvest", "bad_input", "--monthly-budget-usd", "nan"}, "--monthly-budget-usd"},
  };
  for (const auto& c : cases) {
    Result r = run_env(c.args, x_env(db.url()));
    INFO(c.args[0] << " " << c.args[1] << " " << c.args[2] << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(r.err.find("map::at") == std::string::npos);
  }
  CHECK(db.scalar("SELECT count(*) FROM content_metadata") == "1");
}

TEST_CASE("database configuration errors exit 2, an unreachable server 75, no password shown") {
  TestDb db;
  const std::string base = db.url().substr(0, db.url().rfind('/'));  // postgresql://user@host:port
  const std::string host_port = base.substr(base.find('@') + 1);
  struct Case {
    std::string url;
    int code;
  };
  const Case cases[] = {
      {"postgresql://bob:Sup3rSecret@" + host_port + ":x/db", 2},  // bad port
      {"postgresql://bob:Sup3r%zzSecret@127.0.0.1/db", 2},         // bad escape
      {"postgresql://bob:Sup3rSecret@[::1/db", 2},                 // bad syntax
      {"postgresql://postgres:Sup3rSecret@" + host_port + "/postgres?sslmode=bogus", 2},
      {"postgresql://postgres:Sup3rSecret@" + host_port + "/no_such_database_here", 2},
      {"host=127.0.0.1 password=Sup3rSecret dbname=x frobnicate=1", 2},  // bad keyword
      {"postgresql://bob:Sup3rSecret@no-such-host.invalid/db", 2},
      {"postgresql://bob:Sup3rSecret@127.0.0.1:9/db", 75},  // refused
  };
  for (const auto& c : cases) {
    Result r = run({"accounts", "list", "--db", c.url}, "");
    INFO(c.url << ": " << r.err);
    CHECK(r.exit_code == c.code);
    CHECK(r.err.find("database") != std::string::npos);
    CHECK(r.err.find("Sup3r") == std::string::npos);
  }
}

TEST_CASE("a table lock held elsewhere ends a run with exit 75 after the lock timeout") {
  TestDb db;
  add_account_and_queue(db);
  db.scalar(
      "UPDATE content_metadata SET status = 'posted', tweet_id = '1', posted_at = "
      "'2026-11-20T12:00:00Z' RETURNING 1");
  pqxx::connection holder(db.url());
  pqxx::work lock(holder);
  lock.exec("LOCK TABLE content_metadata, learning_posts IN ACCESS EXCLUSIVE MODE");
  auto env = x_env(db.url());
  env["DB_LOCK_TIMEOUT_MS"] = "300";
  for (const std::string tool : {"publish", "scrape-metrics", "learn-hourly"}) {
    const auto start = std::chrono::steady_clock::now();
    Result r = run_env({tool, "--now", "2026-11-20T13:00:00Z"}, env);
    INFO(tool << ": " << r.err);
    CHECK(r.exit_code == 75);
    CHECK(r.err.find("lock timeout") != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
  }
  // With no lock limit, the statement limit ends the wait instead.
  env["DB_LOCK_TIMEOUT_MS"] = "0";
  env["DB_STATEMENT_TIMEOUT_MS"] = "300";
  Result r = run_env({"learn-hourly", "--now", "2026-11-20T13:00:00Z"}, env);
  INFO(r.err);
  CHECK(r.exit_code == 75);
  CHECK(r.err.find("statement timeout") != std::string::npos);
  lock.abort();
  CHECK(db.scalar("SELECT count(*) FROM job_runs WHERE status = 'failed' AND exit_code = 75") ==
        "4");
}

TEST_CASE("a run left 'running' is marked stale by the next run of its tool and account") {
  TestDb db;
  REQUIRE(run({"accounts", "add", "stale"}, db.url()).exit_code == 0);
  db.scalar(
      "INSERT INTO job_runs (account_id, tool, started_at, business_now, status) VALUES "
      "(1, 'learn-hourly', now() - interval '1 hour', now(), 'running'), "
      "(1, 'aggregate', now() - interval '1 hour', now(), 'running') RETURNING 1");
  Result r = run({"learn-hourly", "--now", "2026-11-20T13:00:00Z"}, db.url());
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("marked stale") != std::string::npos);
  CHECK(db.scalar("SELECT status FROM job_runs WHERE tool = 'learn-hourly' ORDER BY run_id "
                  "LIMIT 1") == "stale");
  CHECK(db.scalar("SELECT count(*) FROM job_runs WHERE status = 'stale' AND finished_at IS NOT "
                  "NULL AND error LIKE 'ended without recording%'") == "1");
  // Another tool's run may still be going: it holds another lock.
  CHECK(db.scalar("SELECT status FROM job_runs WHERE tool = 'aggregate'") == "running");
  CHECK(db.scalar("SELECT count(*) FROM job_runs WHERE status = 'running'") == "1");
}

TEST_CASE("configuration is checked at start, even when there is nothing to do") {
  TestDb db;
  REQUIRE(run({"accounts", "add", "config"}, db.url()).exit_code == 0);
  struct Case {
    std::string tool;
    std::map<std::string, std::string> env;
    const char* says;
  };
  auto missing_file = x_env(db.url());
  missing_file.erase("X_CONSUMER_KEY");
  missing_file["X_CONSUMER_KEY_FILE"] = "/nonexistent/x_consumer_key";
  auto unused_missing = x_env(db.url());
  unused_missing["X_BEARER_TOKEN_FILE"] = "/nonexistent/bearer";
  auto bad_timeout = x_env(db.url());
  bad_timeout["X_HTTP_TIMEOUT_MS"] = "soon";
  auto bearer_only = x_env(db.url());
  for (const char* k :
       {"X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET"})
    bearer_only.erase(k);
  bearer_only["X_BEARER_TOKEN"] = "app-only";
  auto no_credentials = bearer_only;
  no_credentials.erase("X_BEARER_TOKEN");
  const std::map<std::string, std::string> llm_bad = {
      {"DATABASE_URL", db.url()}, {"LLM_BASE_URL", "http://127.0.0.1:9/v1"}, {"LLM_MODEL", "m"}};
  auto llm_timeout = llm_bad;
  llm_timeout["LLM_API_KEY"] = "k";
  llm_timeout["LLM_TIMEOUT_MS"] = "-5";
  auto db_bad = x_env(db.url());
  db_bad["DB_STATEMENT_TIMEOUT_MS"] = "1e9";
  auto bad_port = x_env(db.url());
  bad_port["X_API_BASE_URL"] = "http://127.0.0.1:99999";
  auto llm_bad_host = llm_timeout;
  llm_bad_host["LLM_TIMEOUT_MS"] = "1000";
  llm_bad_host["LLM_BASE_URL"] = "http://exa mple.com/v1";
  const Case cases[] = {
      {"scrape-metrics", missing_file, "X_CONSUMER_KEY_FILE"},
      {"publish", missing_file, "X_CONSUMER_KEY_FILE"},
      {"scrape-metrics", unused_missing, "X_BEARER_TOKEN_FILE"},
      {"scrape-metrics", bad_timeout, "X_HTTP_TIMEOUT_MS"},
      {"scrape-metrics", no_credentials, "X credentials"},
      {"publish", bearer_only, "user context"},
      {"plan-post", llm_bad, "LLM_API_KEY"},
      {"aggregate", llm_timeout, "LLM_TIMEOUT_MS"},
      {"learn-hourly", db_bad, "DB_STATEMENT_TIMEOUT_MS"},
      {"scrape-metrics", bad_port, "X_API_BASE_URL"},  // not "try again later" (75)
      {"plan-post", llm_bad_host, "LLM_BASE_URL"},
  };
  for (const auto& c : cases) {
    Result r = run_env({c.tool, "--now", "2026-11-20T13:00:00Z"}, c.env);
    INFO(c.tool << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.says) != std::string::npos);
  }
  // Nothing was due, and still nothing ran.
  CHECK(db.scalar("SELECT count(*) FROM job_runs") == "0");

  // An account with posting off needs no posting configuration: plan-post and publish do
  // nothing for it, alone or with --all-accounts (where it is skipped), and do not fail.
  REQUIRE(run({"accounts", "add", "config", "--posting", "off"}, db.url()).exit_code == 0);
  // A post left `posting` (its outcome unknown) waits for the credentials to reconcile it.
  db.scalar(
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, status, "
      "scheduled_at, posting_started_at) SELECT account_id, (SELECT min(generator_name) FROM "
      "generators), 'sleep', 'a post whose outcome is unknown', 'posting', "
      "'2026-11-20T12:00:00Z', '2026-11-20T12:00:00Z' FROM accounts");
  for (const auto& c : {Case{"publish", missing_file, ""}, Case{"plan-post", llm_bad, ""}}) {
    for (const char* scope : {"--account", "--all-accounts"}) {
      std::vector<std::string> args = {c.tool, "--now", "2026-11-20T13:00:00Z", scope};
      if (std::string(scope) == "--account") args.push_back("config");
      Result r = run_env(args, c.env);
      INFO(c.tool << " " << scope << ": " << r.err);
      CHECK(r.exit_code == 0);
    }
  }
  CHECK(db.scalar("SELECT status FROM content_metadata") == "posting");
  // Scraping still reads X for it, so its configuration is still checked.
  CHECK(run_env({"scrape-metrics", "--now", "2026-11-20T13:00:00Z"}, missing_file).exit_code == 2);
}

TEST_CASE("a time zone changed by hand to one tzdata does not know stops every run with 2") {
  TestDb db;
  REQUIRE(run({"accounts", "add", "mars", "--topic", "space"}, db.url()).exit_code == 0);
  db.scalar("UPDATE accounts SET timezone = 'Mars/Phobos' RETURNING 1");
  for (const char* tool : {"plan-post", "learn-hourly", "scrape-metrics", "publish"}) {
    const Result r =
        run_env({tool, "--account", "mars", "--now", "2026-11-20T13:00:00Z"}, x_env(db.url()));
    INFO(tool << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("Mars/Phobos") != std::string::npos);
  }
  CHECK(db.scalar("SELECT count(*) FROM content_metadata") == "0");
}

TEST_CASE("extract-formulas names the known personas when --generator names none") {
  TestDb db;
  REQUIRE(run({"accounts", "add", "personas"}, db.url()).exit_code == 0);
  Result r = run({"extract-formulas", "--generator", "noSuchPersona"}, db.url());
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("noSuchPersona") != std::string::npos);
  CHECK(r.err.find("coach") != std::string::npos);
  CHECK(run({"extract-formulas", "--generator", "coach"}, db.url()).exit_code == 0);
}

TEST_CASE("accounts: CLI11's own message for bad flags, and every field checked") {
  TestDb db;
  Result flag = run({"accounts", "--bogus-flag"}, db.url());
  CHECK(flag.exit_code == 2);
  CHECK(flag.err.find("--bogus-flag") != std::string::npos);
  Result sub = run({"accounts", "frobnicate"}, db.url());
  CHECK(sub.exit_code == 2);
  CHECK(sub.err.find("frobnicate") != std::string::npos);
  Result none = run({"accounts"}, db.url());
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("add, list, show, peers or harvest") != std::string::npos);
  CHECK(run({"accounts", "--help"}, db.url()).exit_code == 0);

  struct Case {
    std::vector<std::string> args;
    const char* says;
  };
  const Case cases[] = {
      {{"accounts", "add", "h", "--timezone", ""}, "--timezone"},
      {{"accounts", "add", "h", "--x-user-id", ""}, "--x-user-id"},
      {{"accounts", "add", "h", "--x-user-id", "0111"}, "the first not 0"},
      {{"accounts", "add", "h", "--topic", std::string(5000, 'a')}, "at most 100"},
      {{"accounts", "add", "h", "--topic", std::string(101, 'b')}, "101 characters"},
      {{"accounts", "add", "h", "--topic", "bell\x07"}, "control"},
      {{"accounts", "add", "h", "--topic", "new\nline"}, "control"},
      {{"accounts", "add", "h", "--topic", "bidi \xE2\x80\xAE override"}, "U+202E"},
      {{"accounts", "add", "h", "--topic", "bad \xFF utf8"}, "UTF-8"},
      {{"accounts", "add", "h", "--topic", "   "}, "empty"},
      {{"accounts", "add", "h", "--pooling", "maybe"}, "--pooling"},
      {{"accounts", "add", "h", "--posting", "paused"}, "--posting"},
      {{"accounts", "add", "h", "--topic", "sleep", "--topic", "Sleep"},
       "is --topic \"sleep\" again"},
      {{"accounts", "add", "h", "--topic", "\xC3\x84rzte", "--topic", "\xC3\xA4rzte"}, "again"},
  };
  for (const auto& c : cases) {
    Result r = run(c.args, db.url());
    INFO(c.args.back().substr(0, 20) << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(r.err.size() < 400);  // the bad topic is not echoed whole
  }
  CHECK(db.scalar("SELECT count(*) FROM accounts") == "0");
  // 100 characters (code points) of any script, emoji sequences included, are fine.
  std::string topic;
  for (int i = 0; i < 97; ++i) topic += "\xC3\xA9";         // é
  topic += "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x94\xAC";  // woman scientist (ZWJ sequence)
  Result ok = run({"accounts", "add", "h", "--topic", topic, "--timezone", "Asia/Tokyo"}, db.url());
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(json::parse(ok.out)["topics"][0] == topic);
}
