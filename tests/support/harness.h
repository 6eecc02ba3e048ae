// Test support: a fresh PostgreSQL database per test on the cluster of
// scripts/db, and running the built binaries as child processes.
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace gl::test {

// A database created for one test and dropped after it. DATABASE_URL names the
// cluster (any database on it); the tests create theirs beside it.
class TestDb {
 public:
  explicit TestDb(bool migrate = true);
  ~TestDb();
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  const std::string& url() const { return url_; }
  pqxx::connection& conn();
  // Runs one query and returns the first field as text ("" for NULL).
  std::string scalar(const std::string& sql);

 private:
  std::string name_;
  std::string admin_url_;
  std::string url_;
  std::unique_ptr<pqxx::connection> conn_;
};

struct Result {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct Command {
  std::vector<std::string> args;  // args[0] is a tool name under bin/ or a path
  std::string stdin_text;
  std::map<std::string, std::string> env;  // added to (or overriding) the test's environment
};

// Runs a command to completion.
Result run(const Command& c);
Result run(std::vector<std::string> args, const std::string& db_url,
           const std::string& stdin_text = "");

// A command started in the background.
class Process {
 public:
  explicit Process(const Command& c);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  pid_t pid() const { return pid_; }
  // Reads the first line the process prints on stdout (blocking).
  std::string read_line();
  void kill(int signal);
  Result wait();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string pending_out_;
  bool waited_ = false;
};

std::string bin(const std::string& tool);
std::string source_dir();

}  // namespace gl::test
