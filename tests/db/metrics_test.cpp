// Monitoring: the built tools with GROWTHLOOP_METRICS_DIR set write node_exporter
// textfiles, one per (tool, account), read back here as Prometheus would.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "core/regex.h"
#include "db/connection.h"
#include "support/harness.h"

using namespace gl::test;

namespace {

struct MetricsDir {
  std::string path;
  MetricsDir() {
    char t[] = "/tmp/gl-metrics-XXXXXX";
    path = ::mkdtemp(t);
  }
  ~MetricsDir() { std::system(("rm -rf " + path).c_str()); }
  // metric name -> value of the file's samples (each file holds one tool and account).
  std::map<std::string, double> read(const std::string& file) const {
    static const gl::Regex kSample(
        R"re(^([a-z_]+)\{tool="[^"]*",account="[^"]*"(,stat="([a-z_]+)")?\} (-?[0-9.e+-]+)$)re");
    std::ifstream in(path + "/" + file);
    REQUIRE(in);
    std::map<std::string, double> out;
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("# ", 0) == 0) continue;
      gl::RegexMatch m;
      INFO(file << ": " << line);
      REQUIRE(kSample.full_match(line, m));
      out[m.matched(3) ? m.str(1) + "." + m.str(3) : m.str(1)] = std::stod(m.str(4));
    }
    return out;
  }
  std::string files() const {
    Result r = run({"/bin/sh", "-c", "ls " + path + " | tr '\\n' ' '"}, "");
    return r.out;
  }
};

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Result run_with(std::vector<std::string> args, const std::string& db_url, const std::string& dir) {
  return run(
      Command{std::move(args), "", {{"DATABASE_URL", db_url}, {"GROWTHLOOP_METRICS_DIR", dir}}});
}

}  // namespace

TEST_CASE("every run writes its tool and account's metrics, and a failure keeps the last success") {
  TestDb db;
  MetricsDir dir;
  REQUIRE(run({"accounts", "add", "alpha"}, db.url()).exit_code == 0);
  REQUIRE(run({"accounts", "add", "beta"}, db.url()).exit_code == 0);

  const double before = unix_now();
  Result ok = run_with({"learn-hourly", "--account", "alpha"}, db.url(), dir.path);
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(ok.err.empty());
  auto alpha = dir.read("learn-hourly@alpha.prom");
  CHECK(alpha.at("growthloop_last_exit_code") == 0);
  const double success = alpha.at("growthloop_last_success_timestamp_seconds");
  CHECK(success >= before - 1);
  CHECK(success <= unix_now() + 1);
  CHECK(alpha.at("growthloop_last_run_timestamp_seconds") == success);
  CHECK(alpha.at("growthloop_last_run_duration_seconds") >= 0);
  CHECK(alpha.at("growthloop_last_run_duration_seconds") < 600);
  CHECK(alpha.at("growthloop_last_run_stat.posts_used") == 0);  // job_runs' stats, as numbers

  // Another run holds alpha's lock: this one exits 75, and its file says so
  // without losing the last success.
  pqxx::connection holder(db.url());
  const long long alpha_id =
      std::stoll(db.scalar("SELECT account_id FROM accounts WHERE handle = 'alpha'"));
  {
    gl::db::AdvisoryLock held(holder, "learn-hourly", alpha_id, gl::db::AdvisoryLock::Mode::kTry);
    Result busy = run_with({"learn-hourly", "--account", "alpha"}, db.url(), dir.path);
    CHECK(busy.exit_code == 75);
  }
  alpha = dir.read("learn-hourly@alpha.prom");
  CHECK(alpha.at("growthloop_last_exit_code") == 75);
  CHECK(alpha.at("growthloop_last_success_timestamp_seconds") == success);
  CHECK(alpha.at("growthloop_last_run_timestamp_seconds") >= success);

  // Another account, another tool: files of their own, alpha's untouched.
  REQUIRE(run_with({"learn-hourly", "--account", "beta"}, db.url(), dir.path).exit_code == 0);
  REQUIRE(run_with({"migrate", "--status"}, db.url(), dir.path).exit_code == 0);
  CHECK(dir.files() == "learn-hourly@alpha.prom learn-hourly@beta.prom migrate.prom ");
  CHECK(dir.read("learn-hourly@alpha.prom").at("growthloop_last_exit_code") == 75);
  CHECK(dir.read("learn-hourly@beta.prom").at("growthloop_last_exit_code") == 0);
  CHECK(dir.read("migrate.prom").at("growthloop_last_exit_code") == 0);

  // A usage error is a run too; a dry run is not.
  CHECK(run_with({"learn-hourly", "--account", "nobody"}, db.url(), dir.path).exit_code == 2);
  CHECK(dir.read("learn-hourly@nobody.prom").at("growthloop_last_success_timestamp_seconds") == 0);
  CHECK(run_with({"aggregate", "--account", "beta", "--dry-run"}, db.url(), dir.path).exit_code ==
        0);
  CHECK(dir.files().find("aggregate") == std::string::npos);
}

TEST_CASE("a metrics folder that cannot be written is a warning, not a failed run") {
  TestDb db;
  REQUIRE(run({"accounts", "add", "alpha"}, db.url()).exit_code == 0);
  Result r = run_with({"learn-hourly"}, db.url(), "/nonexistent/metrics");
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("learn-hourly: warning: GROWTHLOOP_METRICS_DIR: cannot write "
                   "/nonexistent/metrics/learn-hourly@alpha.prom") != std::string::npos);
}

TEST_CASE("flags: --all-accounts excludes --account, -j needs it") {
  TestDb db;
  Result both = run({"publish", "--all-accounts", "--account", "alpha"}, db.url());
  CHECK(both.exit_code == 2);
  CHECK(both.err.find("--all-accounts") != std::string::npos);
  Result jobs_alone = run({"learn-hourly", "-j", "2"}, db.url());
  CHECK(jobs_alone.exit_code == 2);
  Result zero = run({"learn-hourly", "--all-accounts", "-j", "0"}, db.url());
  CHECK(zero.exit_code == 2);
  // A database without accounts: nothing to do.
  Result none = run({"learn-hourly", "--all-accounts"}, db.url());
  CHECK(none.exit_code == 0);
  CHECK(none.out.empty());
}
