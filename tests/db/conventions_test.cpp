#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "db/connection.h"
#include "db/oauth2_store.h"
#include "support/harness.h"

using namespace gl::test;
using nlohmann::json;

TEST_CASE("bad flags exit 2 with usage, help and version exit 0") {
  Result unknown = run({"accounts", "--no-such-flag", "list"}, "");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("--help") != std::string::npos);

  Result help = run({"migrate", "--help"}, "");
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--now") != std::string::npos);

  Result version = run({"migrate", "--version"}, "");
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("growthloop") != std::string::npos);

  Result now = run({"accounts", "list", "--now", "yesterday"}, "");
  CHECK(now.exit_code == 2);
  CHECK(now.err.find("--now") != std::string::npos);
}

TEST_CASE("an unreachable database exits 75 within a few seconds") {
  const auto start = std::chrono::steady_clock::now();
  Result r = run({"accounts", "list", "--db", "postgresql://postgres@127.0.0.1:9/none"}, "");
  const auto took = std::chrono::steady_clock::now() - start;
  CHECK(r.exit_code == 75);
  CHECK(r.err.find("database") != std::string::npos);
  CHECK(took < std::chrono::seconds(10));
}

TEST_CASE("a password with a bare '/' or '@' is not shown when libpq cannot parse the URL") {
  TestDb db;
  const std::string host_port =
      db.url().substr(db.url().find('@') + 1, db.url().rfind('/') - db.url().find('@') - 1);
  for (const std::string& url : {"postgresql://glpw:Hunter2Secret/tail@" + host_port + "/postgres",
                                 "postgresql://glpw:Hunter2@Secret@" + host_port + "/postgres"}) {
    INFO(url);
    const Result r = run({"accounts", "--db", url, "list"}, "");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("cannot connect") != std::string::npos);
    for (const char* piece : {"Hunter2", "Secret", "tail"})
      CHECK(r.err.find(piece) == std::string::npos);
  }
}

TEST_CASE("accounts add, update, list and show") {
  TestDb db;
  Result add = run({"accounts", "add", "@GrowthLoop", "--timezone", "Europe/Berlin", "--topic",
                    "sleep science", "--topic", "focus"},
                   db.url());
  REQUIRE(add.exit_code == 0);
  CHECK(add.err.empty());
  json a = json::parse(add.out);
  CHECK(a["handle"] == "GrowthLoop");
  CHECK(a["timezone"] == "Europe/Berlin");
  CHECK(a["topics"] == json::array({"sleep science", "focus"}));

  Result update = run({"accounts", "add", "growthloop", "--x-user-id", "2244994945"}, db.url());
  REQUIRE(update.exit_code == 0);
  json u = json::parse(update.out);
  CHECK(u["account_id"] == a["account_id"]);
  CHECK(u["x_user_id"] == "2244994945");
  CHECK(u["timezone"] == "Europe/Berlin");  // kept
  CHECK(u["handle"] == "GrowthLoop");       // the first spelling: files are named by it

  run({"accounts", "add", "second"}, db.url());
  // An X user is one account: another account's id is refused, naming it.
  Result same_user = run({"accounts", "add", "second", "--x-user-id", "2244994945"}, db.url());
  CHECK(same_user.exit_code == 2);
  CHECK(same_user.err.find("is @GrowthLoop already") != std::string::npos);
  CHECK(db.scalar("SELECT count(x_user_id) FROM accounts") == "1");
  Result list = run({"accounts", "list"}, db.url());
  CHECK(std::count(list.out.begin(), list.out.end(), '\n') == 2);

  Result show = run({"accounts", "show", "GROWTHLOOP"}, db.url());
  CHECK(show.exit_code == 0);
  CHECK(json::parse(show.out)["x_user_id"] == "2244994945");

  Result missing = run({"accounts", "show", "nobody"}, db.url());
  CHECK(missing.exit_code == 2);

  Result bad_tz = run({"accounts", "add", "third", "--timezone", "Mars/Base"}, db.url());
  CHECK(bad_tz.exit_code == 2);
  CHECK(bad_tz.err.find("--timezone") != std::string::npos);
  Result bad_handle = run({"accounts", "add", "has space"}, db.url());
  CHECK(bad_handle.exit_code == 2);
  CHECK(db.scalar("SELECT count(*) FROM accounts") == "2");

  // A dry run prints what the change would make and changes nothing.
  Result dry_add = run({"accounts", "add", "third", "--topic", "focus", "--dry-run"}, db.url());
  CHECK(dry_add.exit_code == 0);
  CHECK(json::parse(dry_add.out)["handle"] == "third");
  Result dry_update =
      run({"accounts", "add", "second", "--timezone", "Asia/Tokyo", "--dry-run"}, db.url());
  CHECK(json::parse(dry_update.out)["timezone"] == "Asia/Tokyo");
  Result dry_peer = run({"accounts", "peers", "add", "second", "nasa", "--dry-run"}, db.url());
  CHECK(json::parse(dry_peer.out)["peer"] == "nasa");
  Result dry_harvest =
      run({"accounts", "harvest", "second", "--language", "de", "--dry-run"}, db.url());
  CHECK(json::parse(dry_harvest.out)["language"] == "de");
  CHECK(db.scalar("SELECT count(*) FROM accounts") == "2");
  CHECK(db.scalar("SELECT timezone FROM accounts WHERE handle = 'second'") == "UTC");
  CHECK(db.scalar("SELECT count(*) FROM account_peers") == "0");
  CHECK(db.scalar("SELECT count(*) FROM harvest_settings") == "0");
  Result dry_migrate = run({"migrate", "--dry-run"}, db.url());
  CHECK(dry_migrate.exit_code == 0);
  CHECK(json::parse(dry_migrate.out)["applied"] == json::array());
}

TEST_CASE("a second holder of a tool's account lock is refused with exit 75") {
  TestDb db;
  pqxx::connection first(db.url()), second(db.url());
  gl::db::AdvisoryLock held(first, "scrape-metrics", 1, gl::db::AdvisoryLock::Mode::kTry);
  try {
    gl::db::AdvisoryLock again(second, "scrape-metrics", 1, gl::db::AdvisoryLock::Mode::kTry);
    FAIL("the second lock was granted");
  } catch (const gl::Error& e) {
    CHECK(e.exit_code() == 75);
  }
  // Another account, or another tool, is not blocked.
  gl::db::AdvisoryLock other_account(second, "scrape-metrics", 2, gl::db::AdvisoryLock::Mode::kTry);
  gl::db::AdvisoryLock other_tool(second, "publish", 1, gl::db::AdvisoryLock::Mode::kTry);
}

namespace {

int socket_option(const pqxx::connection& conn, int level, int option) {
  int value = -1;
  socklen_t length = sizeof value;
  REQUIRE(getsockopt(conn.sock(), level, option, &value, &length) == 0);
  return value;
}

}  // namespace

TEST_CASE("a session to a server that stops answering gives up within 30 s") {
  TestDb db;
  // The suite's cluster listens on loopback TCP: the case of a remote server.
  REQUIRE(db.url().find("127.0.0.1") != std::string::npos);
  const auto conn = gl::db::connect(db.url());
  CHECK(socket_option(*conn, SOL_SOCKET, SO_KEEPALIVE) == 1);
  CHECK(socket_option(*conn, IPPROTO_TCP, TCP_USER_TIMEOUT) == 30000);
  // Keepalive probes: 10 s idle, then 4 probes 5 s apart.
  CHECK(socket_option(*conn, IPPROTO_TCP, TCP_KEEPIDLE) +
            socket_option(*conn, IPPROTO_TCP, TCP_KEEPINTVL) *
                socket_option(*conn, IPPROTO_TCP, TCP_KEEPCNT) ==
        30);

  // A connection string that says otherwise is obeyed.
  const std::string own =
      db.url() + (db.url().find('?') == std::string::npos ? "?" : "&") + "tcp_user_timeout=5000";
  const auto obeyed = gl::db::connect(own);
  CHECK(socket_option(*obeyed, IPPROTO_TCP, TCP_USER_TIMEOUT) == 5000);
}

TEST_CASE("an OAuth 2.0 refresh lock's session is given back for the next refresh") {
  TestDb db;
  // As an --all-accounts worker does: sessions are kept between runs.
  gl::db::keep_sessions_between_runs();
  const gl::db::DbTimeouts timeouts;
  const auto holder = [&] {
    return db.scalar(
        "SELECT coalesce(string_agg(pid::text, ','), '') FROM pg_locks "
        "WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database "
        "WHERE datname = current_database())");
  };
  std::string first, second;
  {
    const auto lock = gl::db::oauth2_token_store(db.url(), timeouts, 1).lock();
    first = holder();
  }
  CHECK(holder().empty());  // released with the handle
  {
    const auto lock = gl::db::oauth2_token_store(db.url(), timeouts, 2).lock();
    second = holder();
  }
  REQUIRE(!first.empty());
  CHECK(second == first);  // the same backend: the session was kept, not closed
}
