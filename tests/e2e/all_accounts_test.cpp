// Many accounts in one run (--all-accounts, -j N) against x-sandbox: each
// account with its own lock and job_runs row in a worker that runs account
// after account in one database session, credentials from files that name
// {account}, one account's failure (or its worker's death) leaving the others alone.
#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "e2e/fixture.h"

using namespace gl::test;
using nlohmann::json;

namespace {

// The fixture's account (e2e) and three more, each with a token file under
// dir/<handle>/x_access_token but carol, and the tools' environment reading
// X_ACCESS_TOKEN_FILE=dir/{account}/x_access_token.
struct ManyAccounts {
  LoopFixture f;
  std::string dir;
  std::map<std::string, std::string> env;
  const std::vector<std::string> handles = {"alice", "bob", "carol", "e2e"};

  ManyAccounts() {
    char t[] = "/tmp/gl-accounts-XXXXXX";
    dir = ::mkdtemp(t);
    for (const std::string h : {"alice", "bob", "carol"}) {
      Result r = run_tool({"accounts", "add", h, "--timezone", "UTC"}, f.env);
      if (r.exit_code != 0) throw std::runtime_error("accounts add: " + r.err);
    }
    for (const std::string h : {"alice", "bob", "e2e"}) give_token(h);
    env = f.env;
    env.erase("X_ACCESS_TOKEN");
    env["X_ACCESS_TOKEN_FILE"] = dir + "/{account}/x_access_token";
    env["GROWTHLOOP_METRICS_DIR"] = dir;
  }
  ~ManyAccounts() { std::system(("rm -rf " + dir).c_str()); }

  void give_token(const std::string& handle) {
    std::system(("mkdir -p " + dir + "/" + handle).c_str());
    // e2e's token is the fixture's, so its sandbox user is the fixture's.
    std::ofstream(dir + "/" + handle + "/x_access_token")
        << (handle == "e2e" ? f.env.at("X_ACCESS_TOKEN") : "token-" + handle) << "\n";
  }

  // One post due for each account; returns handle -> decision id.
  std::map<std::string, std::string> queue_one_each(const std::string& scheduled_at,
                                                    const std::string& tag) {
    std::map<std::string, std::string> ids;
    for (const auto& h : handles) {
      ids[h] = f.db.scalar(
          "INSERT INTO content_metadata (account_id, generator_name, topic, content, format, "
          "status, scheduled_at) SELECT account_id, 'coach', 'focus', 'Focus note " +
          tag + " from @" + h + "', 'single', 'queued', '" + scheduled_at +
          "' FROM accounts WHERE handle = '" + h + "' RETURNING decision_id::text");
    }
    return ids;
  }

  std::string status_of(const std::string& decision_id) {
    return f.db.scalar("SELECT status FROM content_metadata WHERE decision_id = '" + decision_id +
                       "'");
  }

  std::string metric(const std::string& file, const std::string& name) {
    Result r = run(
        {"/bin/sh", "-c", "sed -n 's/^" + name + "{[^}]*} //p' '" + dir + "/" + file + "'"}, "");
    return r.out.empty() ? "" : r.out.substr(0, r.out.size() - 1);
  }
};

// Waits (at most 5 s) until a publish run is in progress: of `handle`, or of
// any account when it is empty; returns the handle(s) running, "" if none came.
std::string wait_for_publish_running(TestDb& db, const std::string& handle = "") {
  const std::string running =
      "SELECT coalesce(string_agg(a.handle, ','), '') FROM job_runs j JOIN accounts a "
      "USING (account_id) WHERE j.tool = 'publish' AND j.status = 'running'" +
      (handle.empty() ? std::string() : " AND a.handle = '" + handle + "'");
  std::string found;
  for (int i = 0; i < 250 && found.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    found = db.scalar(running);
  }
  return found;
}

// The processes whose parent is `pid`.
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  DIR* proc = ::opendir("/proc");
  while (dirent* e = proc ? ::readdir(proc) : nullptr) {
    std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    std::istringstream rest(line.substr(line.rfind(')') + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == pid) out.push_back(std::stoi(e->d_name));
  }
  if (proc) ::closedir(proc);
  return out;
}

}  // namespace

TEST_CASE("every account publishes in one run, and a missing token file fails that account only") {
  ManyAccounts m;
  const auto ids = m.queue_one_each("2026-11-20T12:00:00Z", "one");
  Result r =
      run_tool({"publish", "--all-accounts", "-j", "2", "--now", "2026-11-20T12:05:00Z"}, m.env);
  INFO(r.err);
  // carol's file is missing: a usage error (2), the worst of 0, 0, 2, 0.
  CHECK(r.exit_code == 2);
  const std::string carol_file = m.dir + "/carol/x_access_token";
  CHECK(r.err.find("@carol: publish: error: X_ACCESS_TOKEN_FILE: cannot read " + carol_file) !=
        std::string::npos);
  CHECK(r.err.find("@alice") == std::string::npos);  // silent on success

  // Every stdout line is tagged with its account, and belongs to it.
  std::set<std::string> posted;
  for (const auto& line : json_lines(r.out)) {
    INFO(line.dump());
    REQUIRE(line.contains("account"));
    const std::string account = line["account"];
    if (line.value("failed", false)) {
      CHECK(account == "carol");
      CHECK(line["exit_code"] == 2);
      CHECK(line["error"].get<std::string>().find(carol_file) != std::string::npos);
      continue;
    }
    CHECK(line["status"] == "posted");
    CHECK(line["decision_id"] == ids.at(account));
    posted.insert(account);
  }
  CHECK(posted == std::set<std::string>{"alice", "bob", "e2e"});
  CHECK(m.status_of(ids.at("carol")) == "queued");
  for (const std::string h : {"alice", "bob", "e2e"}) CHECK(m.status_of(ids.at(h)) == "posted");

  // Each post went out as its own account's sandbox user.
  std::set<std::string> authors;
  for (const auto& t : m.f.sandbox.get("/sandbox/tweets")) authors.insert(t["author_id"]);
  CHECK(authors.size() == 3);

  // A job_runs row of its own for each account that ran; carol's stopped at its configuration.
  CHECK(m.f.db.scalar("SELECT string_agg(a.handle || ':' || j.status, ',' ORDER BY a.handle) "
                      "FROM job_runs j JOIN accounts a USING (account_id) "
                      "WHERE j.tool = 'publish'") == "alice:ok,bob:ok,e2e:ok");

  // Monitoring: a file per account, and one for the run over all of them.
  CHECK(m.metric("publish@alice.prom", "growthloop_last_exit_code") == "0");
  CHECK(m.metric("publish@alice.prom", "growthloop_last_run_posts_published") == "1");
  // Its X calls as api_usage recorded them: at least the post itself, at a known price.
  CHECK(std::stoi(m.metric("publish@alice.prom", "growthloop_last_run_api_requests")) >= 1);
  CHECK(m.metric("publish@alice.prom", "growthloop_last_run_api_spend_usd") ==
        m.f.db.scalar("SELECT sum(u.cost_usd)::float8 FROM api_usage u JOIN accounts a "
                      "USING (account_id) WHERE a.handle = 'alice' AND u.tool = 'publish'"));
  CHECK(m.metric("publish@carol.prom", "growthloop_last_exit_code") == "2");
  CHECK(m.metric("publish@carol.prom", "growthloop_last_success_timestamp_seconds") == "0");
  CHECK(m.metric("publish@all-accounts.prom", "growthloop_last_exit_code") == "2");
  CHECK(m.metric("publish@all-accounts.prom", "growthloop_last_run_stat") ==
        "4\n1\n0");  // accounts, failed, skipped (nothing due)
}

TEST_CASE("an account given another account's tokens is refused, naming whose they are") {
  ManyAccounts m;
  const auto first = m.queue_one_each("2026-11-20T12:00:00Z", "one");
  const auto tweets = [&] { return m.f.sandbox.get("/sandbox/tweets").size(); };
  // Publishing learns whose the tokens are: each account's X user id is stored.
  for (const std::string h : {"alice", "bob"})
    REQUIRE(
        run_tool({"publish", "--account", h, "--now", "2026-11-20T12:05:00Z"}, m.env).exit_code ==
        0);
  REQUIRE(m.f.db.scalar("SELECT count(DISTINCT x_user_id) FROM accounts WHERE handle IN "
                        "('alice', 'bob')") == "2");
  const size_t posted = tweets();

  // bob's token file becomes a copy of alice's: nothing of bob's goes out on alice's account.
  std::ofstream(m.dir + "/bob/x_access_token") << "token-alice\n";
  const std::string bobs = m.f.db.scalar(
      "INSERT INTO content_metadata (account_id, generator_name, topic, content, status, "
      "scheduled_at) SELECT account_id, 'coach', 'focus', 'Bob on focus, not for alice.', "
      "'queued', '2026-11-20T13:00:00Z' FROM accounts WHERE handle = 'bob' RETURNING "
      "decision_id::text");
  Result publish =
      run_tool({"publish", "--account", "bob", "--now", "2026-11-20T13:05:00Z"}, m.env);
  INFO(publish.err);
  CHECK(publish.exit_code == 2);
  CHECK(publish.err.find("X credentials of @bob") != std::string::npos);
  CHECK(publish.err.find("not as the account's X user") != std::string::npos);
  CHECK(tweets() == posted);
  CHECK(m.status_of(bobs) == "queued");
  Result scrape =
      run_tool({"scrape-metrics", "--account", "bob", "--now", "2026-11-20T15:00:00Z"}, m.env);
  CHECK(scrape.exit_code == 2);
  CHECK(m.f.db.scalar("SELECT count(*) FROM outcomes o JOIN accounts a USING (account_id) "
                      "WHERE a.handle = 'bob'") == "0");

  // carol has no X user id yet, and is given alice's tokens: refused, naming alice.
  std::system(("mkdir -p " + m.dir + "/carol").c_str());
  std::ofstream(m.dir + "/carol/x_access_token") << "token-alice\n";
  Result carol =
      run_tool({"publish", "--account", "carol", "--now", "2026-11-20T12:10:00Z"}, m.env);
  INFO(carol.err);
  CHECK(carol.exit_code == 2);
  CHECK(carol.err.find("@alice's") != std::string::npos);
  CHECK(m.f.db.scalar("SELECT x_user_id IS NULL FROM accounts WHERE handle = 'carol'") == "t");
  CHECK(m.status_of(first.at("carol")) == "queued");
  CHECK(tweets() == posted);
}

TEST_CASE("publish and scrape-metrics over all accounts start only the accounts with work") {
  ManyAccounts m;
  // alice has a post due, bob one for later, e2e one left `posting` by a
  // killed run (to reconcile), carol nothing (and no token file).
  const auto ids = m.queue_one_each("2026-11-20T18:00:00Z", "later");
  m.f.db.scalar(
      "UPDATE content_metadata SET scheduled_at = '2026-11-20T12:00:00Z' WHERE "
      "decision_id = '" +
      ids.at("alice") + "' RETURNING 1");
  m.f.db.scalar(
      "UPDATE content_metadata SET status = 'posting', posting_started_at = "
      "'2026-11-20T12:01:00Z' WHERE decision_id = '" +
      ids.at("e2e") + "' RETURNING 1");
  m.f.db.scalar("DELETE FROM content_metadata WHERE decision_id = '" + ids.at("carol") +
                "' RETURNING 1");
  const std::string ran =
      "SELECT coalesce(string_agg(a.handle, ',' ORDER BY a.handle), '') FROM job_runs j "
      "JOIN accounts a USING (account_id) WHERE j.tool = '";

  Result r =
      run_tool({"publish", "--all-accounts", "-j", "2", "--now", "2026-11-20T12:05:00Z"}, m.env);
  INFO(r.err);
  // carol was skipped, yet her missing token file is still found: exit 2, named.
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("@carol: publish: error: X_ACCESS_TOKEN_FILE: cannot read") !=
        std::string::npos);
  CHECK(m.f.db.scalar(ran + "publish'") == "alice,e2e");
  CHECK(m.status_of(ids.at("alice")) == "posted");
  CHECK(m.status_of(ids.at("bob")) == "queued");
  CHECK(m.status_of(ids.at("e2e")) == "posting");  // not on X's timeline yet: left for later
  // bob's monitoring file says his publish is fine, as his own run with nothing due would.
  CHECK(m.metric("publish@bob.prom", "growthloop_last_exit_code") == "0");
  const std::string bob_success =
      m.metric("publish@bob.prom", "growthloop_last_success_timestamp_seconds");
  REQUIRE(!bob_success.empty());
  CHECK(std::stod(bob_success) > 0);
  CHECK(m.metric("publish@carol.prom", "growthloop_last_exit_code") == "2");
  CHECK(m.metric("publish@all-accounts.prom", "growthloop_last_run_stat") == "4\n1\n2");

  // bob's post comes due: only bob runs. carol has her token now.
  m.give_token("carol");
  Result later =
      run_tool({"publish", "--all-accounts", "-j", "2", "--now", "2026-11-20T18:01:00Z"}, m.env);
  INFO(later.err);
  CHECK(later.exit_code == 0);
  CHECK(m.status_of(ids.at("bob")) == "posted");
  CHECK(m.f.db.scalar(ran + "publish' AND j.business_now = '2026-11-20T18:01:00Z'") == "bob,e2e");

  // Collection: only the accounts with a posted post due run (alice and bob).
  Result scrape = run_tool(
      {"scrape-metrics", "--all-accounts", "-j", "2", "--now", "2026-11-20T20:00:00Z"}, m.env);
  INFO(scrape.err);
  CHECK(scrape.exit_code == 0);
  CHECK(m.f.db.scalar(ran + "scrape-metrics'") == "alice,bob");
  CHECK(m.f.db.scalar("SELECT count(*) FROM outcomes") == "2");
}

TEST_CASE("a run over all accounts exits 75 only when every failure is temporary") {
  ManyAccounts m;
  m.give_token("carol");
  m.f.sandbox.faults({{{"endpoint", "POST /2/tweets"}, {"kind", "rate_limit"}}});
  m.queue_one_each("2026-11-20T12:00:00Z", "two");
  Result limited =
      run_tool({"publish", "--all-accounts", "-j", "4", "--now", "2026-11-20T12:05:00Z"}, m.env);
  INFO(limited.err);
  CHECK(limited.exit_code == 75);
  CHECK(m.f.db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'queued'") == "4");

  // The same, with one account's token gone: a usage error is not cured by time.
  std::system(("rm " + m.dir + "/bob/x_access_token").c_str());
  Result mixed =
      run_tool({"publish", "--all-accounts", "-j", "4", "--now", "2026-11-20T12:06:00Z"}, m.env);
  CHECK(mixed.exit_code == 2);

  m.f.sandbox.clear_faults();
  m.give_token("bob");
  Result ok =
      run_tool({"publish", "--all-accounts", "-j", "4", "--now", "2026-11-20T12:07:00Z"}, m.env);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(m.f.db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'posted'") == "4");
}

TEST_CASE("at most -j N accounts run at once") {
  ManyAccounts m;
  m.give_token("carol");
  // Each post takes 1 s at X: runs that overlap in time overlap in job_runs.
  m.f.sandbox.faults({{{"endpoint", "POST /2/tweets"}, {"kind", "slow"}, {"delay_ms", 1000}}});
  const auto overlap = [&] {
    // The most runs of publish in progress at any run's start.
    return m.f.db.scalar(
        "SELECT max((SELECT count(*) FROM job_runs o WHERE o.tool = 'publish' "
        "  AND o.started_at <= j.started_at AND o.finished_at > j.started_at)) "
        "FROM job_runs j WHERE j.tool = 'publish'");
  };
  m.queue_one_each("2026-11-20T12:00:00Z", "three");
  Result two =
      run_tool({"publish", "--all-accounts", "-j", "2", "--now", "2026-11-20T12:05:00Z"}, m.env);
  INFO(two.err);
  REQUIRE(two.exit_code == 0);
  CHECK(overlap() == "2");

  m.f.db.scalar("DELETE FROM job_runs RETURNING 1");
  m.queue_one_each("2026-11-20T13:00:00Z", "four");
  Result one =
      run_tool({"publish", "--all-accounts", "--now", "2026-11-20T13:05:00Z"}, m.env);  // -j 1
  REQUIRE(one.exit_code == 0);
  CHECK(overlap() == "1");
  CHECK(m.f.db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'posted'") == "8");
}

TEST_CASE("a worker runs account after account in one database session") {
  ManyAccounts m;
  m.give_token("carol");
  m.queue_one_each("2026-11-20T12:00:00Z", "five");
  const auto sessions = [&] {
    return std::stol(
        m.f.db.scalar("SELECT sessions FROM pg_stat_database WHERE datname = current_database()"));
  };
  const long before = sessions();
  Result r =
      run_tool({"publish", "--all-accounts", "--now", "2026-11-20T12:05:00Z"}, m.env);  // -j 1
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(m.f.db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'posted'") == "4");
  CHECK(m.f.db.scalar("SELECT count(*) FROM job_runs WHERE tool = 'publish' AND status = 'ok'") ==
        "4");
  // The parent's session (which accounts are due), and the worker's two: its
  // runs' and the one api_usage is recorded on. A session per run would be 1 + 4 x 2.
  // A backend counts its session when it first goes idle or ends, maybe after
  // the tool is gone: the count is read once it has held for half a second.
  long opened = sessions() - before;
  for (int same = 0, i = 0; same < 5 && i < 50; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const long now = sessions() - before;
    same = now == opened ? same + 1 : 0;
    opened = now;
  }
  CHECK(opened == 3);
}

TEST_CASE("a worker killed in a run fails that account only, and a new worker runs the rest") {
  ManyAccounts m;
  m.give_token("carol");
  // Each post takes 1 s at X: time to find the worker inside its first run.
  m.f.sandbox.faults({{{"endpoint", "POST /2/tweets"}, {"kind", "slow"}, {"delay_ms", 1000}}});
  m.queue_one_each("2026-11-20T12:00:00Z", "six");
  Process p({{"publish", "--all-accounts", "--now", "2026-11-20T12:05:00Z"}, "", m.env});  // -j 1
  const std::string victim = wait_for_publish_running(m.f.db);
  REQUIRE(!victim.empty());
  const std::vector<pid_t> workers = children_of(p.pid());
  REQUIRE(workers.size() == 1);
  ::kill(workers[0], SIGKILL);
  Result r = p.wait();
  INFO(r.err);
  CHECK(r.exit_code == 1);
  int failed = 0;
  for (const auto& line : json_lines(r.out)) {
    if (!line.contains("failed")) continue;
    ++failed;
    CHECK(line["account"] == victim);
    CHECK(line["error"] == "killed by signal 9");
  }
  CHECK(failed == 1);
  // Said on stderr too, as every other failure is (cron mails stderr).
  CHECK(r.err.find("@" + victim + ": the worker running it failed: killed by signal 9") !=
        std::string::npos);
  // The other three were run by the worker that took over.
  CHECK(m.f.db.scalar("SELECT count(*) FROM job_runs WHERE tool = 'publish' AND status = 'ok'") ==
        "3");
  CHECK(m.f.db.scalar("SELECT count(*) FROM content_metadata WHERE status = 'posted'") == "3");
  CHECK(wait_for_publish_running(m.f.db) == victim);  // the next run marks it stale
}

TEST_CASE("SIGTERM to the parent stops the running account, starts no other, and loses no line") {
  ManyAccounts m;
  m.give_token("carol");
  // Each post takes 1 s at X: alice's run ends, then the signal lands inside bob's.
  m.f.sandbox.faults({{{"endpoint", "POST /2/tweets"}, {"kind", "slow"}, {"delay_ms", 1000}}});
  const auto ids = m.queue_one_each("2026-11-20T12:00:00Z", "term");
  Process p({{"publish", "--all-accounts", "--now", "2026-11-20T12:05:00Z"}, "", m.env});  // -j 1
  const json first = json::parse(p.read_line());
  CHECK(first["account"] == "alice");
  CHECK(first["status"] == "posted");
  REQUIRE(wait_for_publish_running(m.f.db, "bob") == "bob");
  p.kill(SIGTERM);
  Result r = p.wait();
  INFO(r.err);
  CHECK(r.exit_code == 75);  // every account tries again later, bob's stopped run too
  std::map<std::string, json> failed;
  for (const auto& line : json_lines(r.out))
    if (line.contains("failed")) failed[line["account"]] = line;
  REQUIRE(failed.size() == 3);
  CHECK(failed["bob"]["error"] == "stopped by signal 15: the run was stopped");
  CHECK(failed["bob"]["exit_code"] == 75);
  for (const std::string h : {"carol", "e2e"}) {
    CHECK(failed[h]["exit_code"] == 75);
    CHECK(failed[h]["error"] == "not started: the run was stopped by signal 15");
    CHECK(m.status_of(ids.at(h)) == "queued");
  }
  CHECK(r.err.find("stopped by signal 15: 2 account(s) not started") != std::string::npos);
  CHECK(m.status_of(ids.at("alice")) == "posted");
  // Nothing ran after the signal.
  CHECK(m.f.db.scalar("SELECT count(*) FROM job_runs WHERE tool = 'publish' AND status = 'ok'") ==
        "1");
}

TEST_CASE("a session that lost its backend goes to the next account with its timeouts set again") {
  ManyAccounts m;
  m.give_token("carol");
  // alice's post takes 1 s at X: time to end the worker's sessions inside her run.
  m.f.sandbox.faults({{{"endpoint", "POST /2/tweets"}, {"kind", "slow"}, {"delay_ms", 1000}}});
  const auto ids = m.queue_one_each("2026-11-20T12:00:00Z", "seven");
  // The others' posts are locked by another session for 8 s: each of their runs
  // must give up after its lock_timeout of 1 s, not wait.
  pqxx::connection other(m.f.db.url());
  pqxx::work hold(other);
  hold.exec("SELECT 1 FROM content_metadata WHERE decision_id IN ('" + ids.at("bob") + "', '" +
            ids.at("carol") + "', '" + ids.at("e2e") + "') FOR UPDATE");
  auto env = m.env;
  env["DB_LOCK_TIMEOUT_MS"] = "1000";
  Process p({{"publish", "--all-accounts", "--now", "2026-11-20T12:05:00Z"}, "", env});  // -j 1
  REQUIRE(wait_for_publish_running(m.f.db, "alice") == "alice");
  // The worker's sessions end (as in a server restart). libpqxx reconnects by
  // itself on a later statement of alice's run, and that session has none of
  // our settings: the worker keeps it for the next accounts.
  m.f.db.scalar(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = "
      "current_database() AND pid <> pg_backend_pid() AND pid <> " +
      std::to_string(other.backendpid()));
  std::this_thread::sleep_for(std::chrono::milliseconds(8000));
  hold.abort();
  Result r = p.wait();
  INFO(r.err);
  CHECK(m.f.db.scalar(
            "SELECT string_agg(a.handle || ' ' || status || ' ' || exit_code || ' ' || "
            "(finished_at - started_at < interval '4 s'), ', ' ORDER BY a.handle) FROM job_runs "
            "j JOIN accounts a USING (account_id) WHERE j.tool = 'publish' AND a.handle <> "
            "'alice'") == "bob failed 75 true, carol failed 75 true, e2e failed 75 true");
  CHECK(r.err.find("@carol: publish: error: database: lock timeout (DB_LOCK_TIMEOUT_MS)") !=
        std::string::npos);
  // Each failure line names the error, not the CONTEXT line PostgreSQL adds after it.
  int failed = 0;
  for (const auto& line : json_lines(r.out)) {
    if (!line.contains("failed") || line["account"] == "alice") continue;
    ++failed;
    CHECK(line["error"].get<std::string>().rfind("publish: error: database: lock timeout", 0) == 0);
  }
  CHECK(failed == 3);
}

TEST_CASE(
    "scrape-metrics | update-generators over all accounts: each account reads its own lines") {
  ManyAccounts m;
  m.give_token("carol");
  m.f.posted(3, "2026-11-19T10:00:00Z");  // e2e's posts, by the dataNerd persona
  Result scrape = run_tool(
      {"scrape-metrics", "--all-accounts", "-j", "2", "--now", "2026-11-20T12:00:00Z"}, m.env);
  INFO(scrape.err);
  REQUIRE(scrape.exit_code == 0);
  bool e2e_named_persona = false;
  for (const auto& line : json_lines(scrape.out)) {
    REQUIRE(line.contains("account"));
    if (line.contains("generator")) {
      CHECK(line["account"] == "e2e");
      e2e_named_persona = true;
    }
  }
  CHECK(e2e_named_persona);
  Result update =
      run_tool({"update-generators", "--all-accounts", "-j", "2", "--now", "2026-11-20T12:00:00Z"},
               m.env, scrape.out);
  INFO(update.err);
  REQUIRE(update.exit_code == 0);
  for (const auto& line : json_lines(update.out)) CHECK(line.contains("account"));
  CHECK(m.f.db.scalar("SELECT count(DISTINCT account_id) FROM job_runs "
                      "WHERE tool = 'update-generators' AND status = 'ok'") == "4");
  // A line that is not JSON is bad input for the whole run, named.
  Result bad = run_tool({"update-generators", "--all-accounts"}, m.env, "not json\n");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("stdin line 1") != std::string::npos);
  // So is a line for an account the database does not have; a handle's case does not matter.
  const std::string runs_before = m.f.db.scalar("SELECT count(*) FROM job_runs");
  Result unknown = run_tool({"update-generators", "--all-accounts"}, m.env,
                            "{\"account\": \"nosuch\", \"generator\": \"coach\"}\n");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("@nosuch, an account the database does not have") != std::string::npos);
  CHECK(m.f.db.scalar("SELECT count(*) FROM job_runs") == runs_before);
  Result cased = run_tool({"update-generators", "--all-accounts", "--now", "2026-11-20T12:00:00Z"},
                          m.env, "{\"account\": \"@Alice\", \"generator\": \"coach\"}\n");
  INFO(cased.err);
  CHECK(cased.exit_code == 0);
}

TEST_CASE("learners and plan-post over all accounts start only the accounts whose inputs changed") {
  ManyAccounts m;
  const std::string now = "2026-11-20T12:00:00Z";
  const auto runs = [&](const std::string& tool) {
    return m.f.db.scalar(
        "SELECT coalesce(string_agg(a.handle, ',' ORDER BY a.handle), '') "
        "FROM job_runs j JOIN accounts a USING (account_id) WHERE j.tool = '" +
        tool + "'");
  };
  const auto summaries = [](const Result& r) {
    std::map<std::string, json> by_account;
    for (const auto& line : json_lines(r.out)) by_account[line.at("account")] = line;
    return by_account;
  };

  // No learner has run: every account runs, and prints its summary.
  Result first = run_tool({"learn-hourly", "--all-accounts", "-j", "2", "--now", now}, m.env);
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  CHECK(runs("learn-hourly") == "alice,bob,carol,e2e");
  const auto printed = summaries(first);
  REQUIRE(printed.size() == 4);

  // Nothing changed: no account runs, and each prints what its last run printed.
  Result idle = run_tool({"learn-hourly", "--all-accounts", "-j", "2", "--now", now}, m.env);
  INFO(idle.err);
  CHECK(idle.exit_code == 0);
  CHECK(runs("learn-hourly") == "alice,bob,carol,e2e");
  CHECK(summaries(idle) == printed);
  CHECK(m.metric("learn-hourly@bob.prom", "growthloop_last_exit_code") == "0");
  CHECK(m.metric("learn-hourly@all-accounts.prom", "growthloop_last_run_stat") ==
        "4\n0\n4");  // accounts, failed, skipped (unchanged)

  // A follower snapshot of alice's is new input for alice only; --full runs them all.
  m.f.db.scalar(
      "INSERT INTO follower_snapshots (account_id, taken_at, followers_count) SELECT account_id, "
      "'2026-11-20T11:30:00Z', 120 FROM accounts WHERE handle = 'alice' RETURNING 1");
  Result changed = run_tool({"learn-hourly", "--all-accounts", "--now", now}, m.env);
  INFO(changed.err);
  CHECK(changed.exit_code == 0);
  CHECK(runs("learn-hourly") == "alice,alice,bob,carol,e2e");
  Result full = run_tool({"learn-hourly", "--all-accounts", "--full", "--now", now}, m.env);
  CHECK(full.exit_code == 0);
  CHECK(runs("learn-hourly") == "alice,alice,alice,bob,bob,carol,carol,e2e,e2e");
  // A new UTC day is a change for every account (decay and staleness move with time).
  Result next_day =
      run_tool({"learn-hourly", "--all-accounts", "--now", "2026-11-21T00:30:00Z"}, m.env);
  CHECK(next_day.exit_code == 0);
  CHECK(runs("learn-hourly") ==
        "alice,alice,alice,alice,bob,bob,bob,carol,carol,carol,e2e,e2e,e2e");

  // update-generators: the accounts that stdin's lines name run whatever their inputs.
  REQUIRE(run_tool({"update-generators", "--all-accounts", "--now", now}, m.env).exit_code == 0);
  CHECK(runs("update-generators") == "alice,bob,carol,e2e");
  Result named = run_tool({"update-generators", "--all-accounts", "--now", now}, m.env,
                          "{\"account\": \"bob\", \"generator\": \"coach\"}\n");
  INFO(named.err);
  CHECK(named.exit_code == 0);
  CHECK(runs("update-generators") == "alice,bob,bob,carol,e2e");

  // plan-post --fill-to: an account with a full queue gets no process.
  m.queue_one_each("2026-11-20T18:00:00Z", "ahead");
  Result full_queue =
      run_tool({"plan-post", "--all-accounts", "--fill-to", "1", "--now", now}, m.env);
  INFO(full_queue.err);
  CHECK(full_queue.exit_code == 0);
  CHECK(full_queue.out.empty());
  CHECK(runs("plan-post").empty());
  CHECK(m.metric("plan-post@alice.prom", "growthloop_last_run_posts_planned") == "0");
  // One more wanted: every account runs (alice, bob and carol have no topics: exit 2 each).
  Result room = run_tool({"plan-post", "--all-accounts", "--fill-to", "2", "--now", now}, m.env);
  CHECK(runs("plan-post") == "alice,bob,carol,e2e");
}
