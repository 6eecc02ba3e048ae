// Running a tool once per account in worker processes, at most N at once. A
// worker is a fork of this process that runs account after account, each run
// with its own advisory lock and job_runs row, on the database sessions the
// worker keeps (db::keep_sessions_between_runs: the runs' and the one X usage
// is recorded on): a fleet pays for a process and its sessions per worker,
// not per account. One
// account's failure is its own exit code; a worker that crashes or is killed
// fails the account it was running, and a new worker takes the accounts left.
// The parent reads every worker's stdout line by line and hands it on tagged
// with the account it was running; stderr lines are prefixed with "@account: ".
// SIGTERM, SIGINT or SIGHUP to the parent stops the running accounts with the
// same signal, starts no more (they exit 75, not started) and still hands on
// every line the workers wrote.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/progress.h"

namespace gl {

struct AccountCommand {
  std::string account;
  std::vector<std::string> args;  // argv of the account's run, args[0] the program
  bool feed_stdin = false;        // stdin_text becomes the run's stdin, else /dev/null
  std::string stdin_text;
};

struct AccountExit {
  std::string account;
  int exit_code = 0;
  // The last "TOOL: error: " line its run wrote on stderr, else its last line.
  std::string last_error;
};

// Runs one account's command in a worker; returns its exit code.
using RunInWorker = std::function<int(const AccountCommand&)>;

// A run's stdout line, in the parent's single thread (no locking needed).
using OnLine = std::function<void(const std::string& account, const std::string& line)>;

// Runs every command with `run` in at most max_parallel workers, in order;
// returns each one's exit (an account whose worker was killed by a signal
// exits 1). The caller is single-threaded: workers are forks that do not exec.
std::vector<AccountExit> run_per_account(const std::vector<AccountCommand>& commands,
                                         int max_parallel, const RunInWorker& run,
                                         const OnLine& on_line, Progress& progress);

// The run's exit code from the accounts': 0 when all are 0; 75 only when
// every failure was 75 (time cures them all); else 1 when any is 1 (or
// another code), else 2.
int worst_exit_code(const std::vector<int>& codes);

// argv of one account's run: argv without --all-accounts, -j/--jobs N and
// --shard I/N, with --account HANDLE appended.
std::vector<std::string> one_account_args(int argc, char** argv, const std::string& handle);

// --shard I/N of an --all-accounts run: host I of N serves the accounts whose
// account_id mod N is I - 1 (the key the tables would be distributed by).
struct Shard {
  int index = 1, count = 1;
  bool serves(long long account_id) const { return account_id % count == index - 1; }
};

// "I/N" with 1 <= I <= N <= 10000; otherwise a usage error naming --shard.
Shard parse_shard(const std::string& text);

}  // namespace gl
