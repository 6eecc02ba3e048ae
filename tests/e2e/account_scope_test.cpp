// Past one machine. Every statement the tools run names the account of each
// per-account table it touches, so that the tables can be distributed by
// account_id (README, "Scaling out") and one account's run never reads or
// writes another's rows: the statements are read back from pg_stat_statements
// (scripts/db preloads it) after every tool ran against x-sandbox on a
// database of two accounts. And --shard I/N gives each of N cron hosts its
// share of the accounts.
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdlib>
#include <set>

#include "core/clock.h"
#include "core/regex.h"
#include "e2e/fixture.h"

using namespace gl::test;

namespace {

// Lower case, comments dropped, runs of blanks as one space.
std::string normalized(const std::string& sql) {
  std::string out;
  bool blank = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql.compare(i, 2, "--") == 0) {
      while (i < sql.size() && sql[i] != '\n') ++i;
    }
    if (i >= sql.size()) break;
    const char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = !out.empty();
      continue;
    }
    if (blank) out += ' ';
    blank = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

size_t occurrences(const std::string& text, const gl::Regex& re) { return re.all(text).size(); }

// Words that follow a table name without being its alias.
const std::set<std::string> kNotAlias = {
    "where",  "on",      "join",   "left",   "right",     "inner",   "full",   "cross",
    "set",    "group",   "order",  "limit",  "using",     "union",   "except", "intersect",
    "as",     "for",     "do",     "values", "returning", "natural", "window", "having",
    "select", "default", "offset", "fetch",  "when",      "then",    "and",    "or"};

// The per-account tables a statement reads or writes without naming the
// account: each reference to such a table (FROM, JOIN, UPDATE, INTO, DELETE
// FROM or a comma-separated FROM list) must be constrained by its alias's
// account_id (a.account_id), by USING (account_id ...), by a bare account_id
// when the statement touches no other reference unqualified, or, for an
// INSERT, list account_id among its columns.
std::vector<std::string> unscoped(const std::string& raw, const std::set<std::string>& tables) {
  const std::string sql = normalized(raw);
  std::vector<std::string> out;
  struct Ref {
    std::string table, alias;
    bool insert_columns_ok = false;
  };
  std::vector<Ref> refs;
  static const gl::Regex kRef(
      R"(\b(from|join|update|into|,)\s+([a-z_][a-z0-9_]*)(\s+as)?(\s+([a-z_][a-z0-9_]*))?(\s*\(([^)]*)\))?)");
  for (const gl::RegexMatch& m : kRef.all(sql)) {
    const std::string table = m.str(2);
    if (!tables.count(table)) continue;
    // "name(" is a function call, not a table.
    const size_t after = m.position(2) + m.length(2);
    if (after < sql.size() && sql[after] == '(') continue;
    Ref r{table, m.str(5), false};
    if (!r.alias.empty() && kNotAlias.count(r.alias)) r.alias.clear();
    if (m.str(1) == "into") {
      static const gl::Regex kAccountColumn(R"(\baccount_id\b)");
      r.insert_columns_ok = kAccountColumn.search(m.str(7));
    }
    refs.push_back(r);
  }
  size_t unqualified_refs = 0;
  for (const auto& r : refs) {
    if (r.insert_columns_ok) continue;
    const std::string name = r.alias.empty() ? r.table : r.alias;
    if (gl::Regex("\\b" + name + "\\.account_id\\b").search(sql)) continue;
    ++unqualified_refs;
  }
  // account_id not preceded by "x." (a qualified one belongs to its alias).
  const size_t bare =
      occurrences(sql, gl::Regex(R"((^|[^.a-z0-9_])account_id\b)")) -
      occurrences(sql, gl::Regex(R"(\(account_id\b)"));  // a column list is not a predicate
  const bool using_account = gl::Regex(R"(using \(account_id\b)").search(sql);
  for (const auto& r : refs) {
    if (r.insert_columns_ok) continue;
    const std::string name = r.alias.empty() ? r.table : r.alias;
    if (gl::Regex("\\b" + name + "\\.account_id\\b").search(sql)) continue;
    if (using_account) continue;
    if (bare >= unqualified_refs && bare > 0) continue;
    out.push_back(r.table);
  }
  return out;
}

std::set<std::string> per_account_tables(TestDb& db) {
  std::set<std::string> out;
  pqxx::work w(db.conn());
  // accounts is the list of accounts itself (a reference table when distributed).
  for (const auto& r :
       w.exec("SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
              "AND column_name = 'account_id' AND table_name <> 'accounts'"))
    out.insert(r[0].as<std::string>());
  return out;
}

}  // namespace

TEST_CASE("the account check knows a scoped statement from an unscoped one") {
  const std::set<std::string> t = {"outcomes", "content_metadata", "tweet_metrics"};
  CHECK(unscoped("SELECT * FROM outcomes WHERE account_id = $1", t).empty());
  CHECK(unscoped("SELECT o.x FROM outcomes o JOIN content_metadata cm ON cm.account_id = "
                 "o.account_id AND cm.decision_id = o.decision_id WHERE o.account_id = $1",
                 t)
            .empty());
  CHECK(unscoped("INSERT INTO tweet_metrics (account_id, tweet_id) VALUES ($1, $2)", t).empty());
  CHECK(unscoped("UPDATE content_metadata cm SET x = 1 FROM outcomes o WHERE cm.account_id = $1 "
                 "AND o.account_id = cm.account_id",
                 t)
            .empty());
  CHECK(unscoped("SELECT count(*) FROM outcomes", t) == std::vector<std::string>{"outcomes"});
  CHECK(unscoped("SELECT * FROM outcomes o JOIN content_metadata cm USING (decision_id) WHERE "
                 "o.account_id = $1",
                 t) == std::vector<std::string>{"content_metadata"});
  CHECK(unscoped("UPDATE content_metadata SET x = 1 WHERE decision_id = $1", t) ==
        std::vector<std::string>{"content_metadata"});
  CHECK(unscoped("DELETE FROM tweet_metrics -- account_id\n WHERE tweet_id = $1", t) ==
        std::vector<std::string>{"tweet_metrics"});
}

TEST_CASE("every statement the tools run on a per-account table names its account") {
  LoopFixture f;
  if (f.db.scalar("SELECT count(*) FROM pg_available_extensions WHERE name = "
                  "'pg_stat_statements'") == "0" ||
      f.db.scalar("SHOW shared_preload_libraries").find("pg_stat_statements") ==
          std::string::npos) {
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
      FAIL("pg_stat_statements is not loaded: restart the cluster with scripts/db start");
    WARN("skipped: pg_stat_statements is not loaded (scripts/db start loads it)");
    return;
  }
  const std::set<std::string> tables = per_account_tables(f.db);
  REQUIRE(tables.count("content_metadata"));
  REQUIRE(tables.count("api_usage"));
  // A second account, with an archive to import, so that cross-account reads would show.
  REQUIRE(run_tool({"accounts", "add", "fixture", "--x-user-id", "4242", "--topic", "music"}, f.env)
              .exit_code == 0);
  REQUIRE(run_tool({"accounts", "peers", "add", "e2e", "sleep_daily"}, f.env).exit_code == 0);
  REQUIRE(run_tool({"accounts", "harvest", "e2e", "--daily-budget-usd", "50"}, f.env).exit_code ==
          0);
  f.posted(12, "2026-11-18T12:00:00Z");
  f.db.scalar("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  // Every database's entries, not only this one's: the suite's earlier test
  // databases (dropped, hundreds of them) fill pg_stat_statements.max, and it
  // then evicts this run's rarer statements while the run goes on (a full CI
  // run saw 50 of its 60+). No other test reads pg_stat_statements.
  f.db.scalar("SELECT pg_stat_statements_reset()");

  int failures = 0;
  const auto call = [&](std::vector<std::string> args, const std::string& in = "") {
    Result r = run_tool(args, f.env, in);
    if (r.exit_code != 0) {
      ++failures;
      WARN(args[0] << " exited " << r.exit_code << ": " << r.err);
    }
    return r;
  };
  const std::string fixture = source_dir() + "/tests/data/import/fixture";
  call({"import-history", "--account", "fixture", "--now", "2021-10-01T00:00:00Z", fixture});
  const auto start = *gl::parse_iso8601("2026-11-20T00:00:00Z");
  for (int hour = 0; hour < 24; hour += 3) {
    const std::string now = gl::format_iso8601(start + std::chrono::hours(hour));
    call({"plan-post", "--account", "e2e", "--now", now, "--fill-to", "2", "--seed",
          std::to_string(hour + 1)});
    call({"publish", "--all-accounts", "--now", now});
    Result scraped = call({"scrape-metrics", "--account", "e2e", "--now", now});
    call({"update-generators", "--account", "e2e", "--now", now}, scraped.out);
    call({"learn-hourly", "--account", "e2e", "--now", now});
    call({"aggregate", "--account", "e2e", "--now", now});
    if (hour % 12 == 0) {
      call({"extract-formulas", "--account", "e2e", "--now", now});
      call({"harvest", "--account", "e2e", "--now", now});
    }
  }
  const std::string end = "2026-11-21T06:00:00Z";
  call({"evaluate", "--account", "e2e", "--now", end, "--truth-samples", "4", "--draws", "50"});
  call({"usage", "--account", "e2e", "--now", end});
  call({"report", "--account", "e2e", "--now", end, "--format", "json"});
  call({"learn-hourly", "--all-accounts", "-j", "2", "--now", end});
  CHECK(failures == 0);
  // The run collected metrics and learned: the writes and the learners' reads were seen.
  REQUIRE(f.count("SELECT count(*) FROM outcomes WHERE account_id = 1") > 0);
  REQUIRE(f.count("SELECT count(*) FROM learning_posts WHERE account_id = 2") > 0);

  pqxx::work w(f.db.conn());
  const auto statements = w.exec(
      "SELECT query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database "
      "WHERE datname = current_database())");
  // Reads and writes; a migration's DDL (none runs here) would be the schema's own.
  static const gl::Regex kDml(R"(^\(*(select|insert|update|delete|with)\b)");
  std::vector<std::string> bad;
  size_t touching = 0;  // statements on a per-account table
  for (const auto& r : statements) {
    const std::string q = r[0].as<std::string>();
    if (!kDml.search(normalized(q))) continue;
    for (const auto& t : tables) {
      if (gl::Regex("\\b" + t + "\\b").search(normalized(q))) {
        ++touching;
        break;
      }
    }
    for (const auto& t : unscoped(q, tables)) bad.push_back(t + ": " + normalized(q));
  }
  CHECK(touching > 60);
  for (const auto& b : bad) UNSCOPED_INFO(b);
  CHECK(bad.empty());
}

TEST_CASE("N cron hosts split the accounts with --shard I/N, each account on exactly one") {
  LoopFixture f;
  for (const std::string h : {"two", "three", "four", "five"})
    REQUIRE(run_tool({"accounts", "add", h}, f.env).exit_code == 0);
  int run = 0;
  // The accounts a learn-hourly run of one shard ran for (their job_runs rows;
  // publish would start only the accounts with a post due, and learn-hourly
  // without --full only those whose inputs changed since their last run).
  const auto accounts_of = [&](const std::string& shard) {
    const std::string now = "2026-11-20T12:0" + std::to_string(run++) + ":00Z";
    Result r = run_tool(
        {"learn-hourly", "--all-accounts", "--full", "-j", "2", "--shard", shard, "--now", now},
        f.env);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::set<std::string> seen;
    pqxx::work w(f.db.conn());
    for (const auto& row : w.exec_params(
             "SELECT a.handle FROM job_runs j JOIN accounts a ON a.account_id = j.account_id "
             "WHERE j.tool = 'learn-hourly' AND j.business_now = $1",
             now))
      seen.insert(row[0].as<std::string>());
    return seen;
  };
  // account_id mod N = I - 1: e2e is 1, two 2, three 3, four 4, five 5.
  CHECK(accounts_of("1/2") == std::set<std::string>{"two", "four"});
  CHECK(accounts_of("2/2") == std::set<std::string>{"e2e", "three", "five"});
  CHECK(accounts_of("1/1").size() == 5);
  CHECK(accounts_of("3/3") == std::set<std::string>{"two", "five"});

  for (const std::string bad : {"3/2", "0/2", "1/0", "1", "a/b", "1/2x"}) {
    Result r = run_tool({"publish", "--all-accounts", "--shard", bad}, f.env);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--shard") != std::string::npos);
  }
  CHECK(run_tool({"publish", "--account", "e2e", "--shard", "1/2"}, f.env).exit_code == 2);
}
