// Running one program once per account as child processes, at most N at once:
// each child has its own process (its own database connection, lock and
// job_runs row), so one account's failure, crash or hang cannot touch the
// others. The parent reads every child's stdout line by line and hands it on
// tagged with the account; stderr lines are prefixed with "@account: ".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/progress.h"

namespace gl {

struct AccountCommand {
  std::string account;
  std::vector<std::string> args;  // args[0] is shown in messages; /proc/self/exe is run
  bool feed_stdin = false;        // stdin_text becomes the child's stdin, else /dev/null
  std::string stdin_text;
};

struct AccountExit {
  std::string account;
  int exit_code = 0;
  std::string last_error;  // the last line the child wrote on stderr
};

// A child's stdout line, in the parent's single thread (no locking needed).
using OnLine = std::function<void(const std::string& account, const std::string& line)>;

// Runs every command of this same program, at most max_parallel at once, in
// order; returns each one's exit (a child killed by a signal exits 1).
std::vector<AccountExit> run_per_account(const std::vector<AccountCommand>& commands,
                                         int max_parallel, const OnLine& on_line,
                                         Progress& progress);

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
