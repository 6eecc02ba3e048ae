// Monitoring, many accounts and progress: the pure parts (metrics text, the
// exit code of many runs, one account's argv, secrets' {account}, progress).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "core/error.h"
#include "core/fan_out.h"
#include "core/metrics.h"
#include "core/progress.h"
#include "core/regex.h"
#include "core/secrets.h"

namespace {

// name{labels} -> value, every line checked against the text format.
std::map<std::string, double> parse_prom(const std::string& text) {
  static const gl::Regex kSample(R"(^([a-z_]+\{[^}]*\}) (-?[0-9.e+-]+)$)");
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    gl::RegexMatch m;
    INFO(line);
    REQUIRE(kSample.full_match(line, m));
    out[m.str(1)] = std::stod(m.str(2));
  }
  return out;
}

}  // namespace

TEST_CASE("a run's metrics name the tool and account and carry its counts") {
  gl::RunMetrics m{"publish", "alice", 0, 1764000000.5, 1.25, {{"posted", 2}, {"failed", 0}}};
  m.stats["api_cost_usd"] = 0.015;
  m.stats["note"] = "text is not a number";
  m.stats["dry"] = true;
  const auto prom = parse_prom(gl::render_metrics(m, 17));
  const std::string l = "{tool=\"publish\",account=\"alice\"}";
  CHECK(prom.at("growthloop_last_success_timestamp_seconds" + l) == 1764000000.5);
  CHECK(prom.at("growthloop_last_run_timestamp_seconds" + l) == 1764000000.5);
  CHECK(prom.at("growthloop_last_run_duration_seconds" + l) == 1.25);
  CHECK(prom.at("growthloop_last_exit_code" + l) == 0);
  CHECK(prom.at("growthloop_last_run_posts_published" + l) == 2);
  CHECK(prom.at("growthloop_last_run_stat{tool=\"publish\",account=\"alice\",stat=\"failed\"}") ==
        0);
  CHECK(prom.at("growthloop_last_run_stat{tool=\"publish\",account=\"alice\",stat=\"dry\"}") == 1);
  CHECK(prom.at("growthloop_last_run_api_spend_usd" + l) == 0.015);
  CHECK(prom.count("growthloop_last_run_posts_collected" + l) == 0);
  CHECK(prom.size() == 10);  // four of every run, published, spend, and four stats
}

TEST_CASE("a failed run keeps the last success it replaces, and labels are escaped") {
  gl::RunMetrics m{"scrape-metrics", "a\"b\\c", 75, 1764000100, 0.5, {}};
  const std::string text = gl::render_metrics(m, 1764000000);
  CHECK(text.find("account=\"a\\\"b\\\\c\"") != std::string::npos);
  CHECK(text.find("growthloop_last_success_timestamp_seconds{tool=\"scrape-metrics\",account=\"a"
                  "\\\"b\\\\c\"} 1764000000\n") != std::string::npos);
  CHECK(text.find(
            "growthloop_last_exit_code{tool=\"scrape-metrics\",account=\"a\\\"b\\\\c\"} 75\n") !=
        std::string::npos);
}

TEST_CASE("write_run_metrics replaces the file whole and remembers the last success") {
  char dir_template[] = "/tmp/gl-metrics-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  const std::string path = gl::metrics_path(dir, "learn-hourly", "bob");
  CHECK(path == dir + "/learn-hourly@bob.prom");
  CHECK(gl::metrics_path(dir, "migrate", "") == dir + "/migrate.prom");
  CHECK(gl::metrics_path(dir, "publish", "*") == dir + "/publish@all-accounts.prom");
  CHECK(gl::read_last_success(path) == 0);  // no file yet
  gl::write_run_metrics(dir, {"learn-hourly", "bob", 0, 1764000000, 2, {}});
  CHECK(gl::read_last_success(path) == 1764000000);
  gl::write_run_metrics(dir, {"learn-hourly", "bob", 1, 1764000600, 2, {}});
  CHECK(gl::read_last_success(path) == 1764000000);
  gl::write_run_metrics(dir, {"learn-hourly", "bob", 0, 1764001200, 2, {}});
  CHECK(gl::read_last_success(path) == 1764001200);
  // Nothing but the one file: the temporary one was renamed.
  CHECK(std::system(("test \"$(ls " + dir + ")\" = learn-hourly@bob.prom").c_str()) == 0);
  try {
    gl::write_run_metrics(dir + "/missing", {"learn-hourly", "bob", 0, 1, 1, {}});
    FAIL("no error");
  } catch (const gl::Error& e) {
    CHECK(std::string(e.what()).find(dir + "/missing/learn-hourly@bob.prom") != std::string::npos);
  }
  std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("the exit code of many accounts is the worst, 75 only when every failure is temporary") {
  CHECK(gl::worst_exit_code({}) == 0);
  CHECK(gl::worst_exit_code({0, 0}) == 0);
  CHECK(gl::worst_exit_code({0, 75, 75}) == 75);
  CHECK(gl::worst_exit_code({75, 2, 0}) == 2);
  CHECK(gl::worst_exit_code({2, 1, 75}) == 1);
  CHECK(gl::worst_exit_code({0, 3}) == 1);  // an unexpected code is a failure
}

TEST_CASE("one account's argv drops --all-accounts and -j and names the account") {
  std::vector<std::string> in = {
      "publish", "--all-accounts", "-j",     "3", "--now", "2026-11-20T12:00:00Z",
      "-j4",     "--jobs=2",       "--jobs", "5", "-v",    "-vj",
      "2",       "-vvj2"};
  std::vector<char*> argv;
  for (auto& a : in) argv.push_back(a.data());
  CHECK(gl::one_account_args(static_cast<int>(argv.size()), argv.data(), "alice") ==
        std::vector<std::string>{"publish", "--now", "2026-11-20T12:00:00Z", "-v", "-v", "-vv",
                                 "--account", "alice"});
}

TEST_CASE("a secret file's {account} is the run's account, and without one it is an error") {
  char dir_template[] = "/tmp/gl-secrets-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  std::system(("mkdir -p " + dir + "/alice").c_str());
  std::ofstream(dir + "/alice/token") << "alice-token\n";
  ::setenv("GL_TEST_TOKEN_FILE", (dir + "/{account}/token").c_str(), 1);
  ::setenv("GROWTHLOOP_ACCOUNT", "alice", 1);
  CHECK(gl::env_secret("GL_TEST_TOKEN") == "alice-token");
  ::setenv("GROWTHLOOP_ACCOUNT", "bob", 1);
  try {
    gl::env_secret("GL_TEST_TOKEN");
    FAIL("no error");
  } catch (const gl::Error& e) {
    CHECK(e.exit_code() == gl::kExitUsage);
    CHECK(std::string(e.what()) == "GL_TEST_TOKEN_FILE: cannot read " + dir + "/bob/token");
  }
  ::unsetenv("GROWTHLOOP_ACCOUNT");
  CHECK_THROWS_WITH(gl::env_secret("GL_TEST_TOKEN"),
                    Catch::Contains("names {account}: give --account HANDLE or --all-accounts"));
  ::unsetenv("GL_TEST_TOKEN_FILE");
  std::system(("rm -rf " + dir).c_str());
}

TEST_CASE("progress draws on a terminal only, and ends its line") {
  char* buf = nullptr;
  size_t size = 0;
  std::FILE* out = ::open_memstream(&buf, &size);
  {
    gl::Progress off("import-history", "posts", 10, out, false);
    off.advance(5);
  }
  std::fflush(out);
  CHECK(size == 0);
  {
    gl::Progress on("import-history", "posts", 4, out, true);
    for (int i = 0; i < 4; ++i) on.advance();
  }
  std::fclose(out);
  const std::string text(buf, size);
  std::free(buf);
  CHECK(text.find("import-history: 1/4 posts (25%)") != std::string::npos);
  CHECK(text.find("4/4 posts (100%)") != std::string::npos);
  CHECK(text.back() == '\n');
}
