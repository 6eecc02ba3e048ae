// The flags every tool shares and the one wrapper that turns a tool's run into
// an exit code: parse, run, catch everything once, map it to our codes.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/fan_out.h"
#include "core/log.h"
#include "core/metrics.h"

// CLI11 is a header library that costs every file including it seconds to
// compile: only the files that define or parse flags include <CLI/CLI.hpp>.
namespace CLI {
class App;
}  // namespace CLI

namespace gl {

struct CommonOptions {
  std::string db;        // connection string; empty = DATABASE_URL, else libpq's PG* variables
  std::string account;   // handle; empty = the only account in the database
  std::string now_text;  // --now as given
  bool dry_run = false;
  int verbosity = 0;
  bool all_accounts = false;  // --all-accounts: one run per account of the database
  int jobs = 1;               // -j: at most this many accounts' runs at once
};

// What the frame records of a run for monitoring (core/metrics.h): the
// account it ran for, once known, and its job_runs stats.
struct RunOutcome {
  std::string account;
  nlohmann::json stats = nlohmann::json::object();
};

// What a tool's run function gets: its options, the clock, the log.
struct ToolContext {
  std::string tool;
  CommonOptions common;
  Clock clock;
  Log log;
  RunOutcome outcome;  // filled by the per-account frame (db/job_run.h)
  // A posting tool's check_config, called by the per-account frame once it
  // knows the account posts (ToolSpec::config_for_posting_only).
  std::function<void()> posting_config_check;
};

// An --all-accounts run: the argv of one account's run is made from these.
struct AllAccountsRequest {
  int argc;
  char** argv;
  bool stdin_by_account;
  Shard shard;  // --shard I/N as parsed with the other flags
  // The tool's check_config, for an account the run skips (nothing due):
  // called with GROWTHLOOP_ACCOUNT set to that account (for a posting tool,
  // only when the account posts).
  std::function<void()> check_config;
  bool config_for_posting_only;
  // One account's run in this process, as run_tool with that argv (from
  // one_account_args) would do it; returns its exit code.
  std::function<int(const std::vector<std::string>& args)> run_one;
};
// Runs the tool once per account (db/all_accounts.h); returns the worst exit code.
using RunAllAccounts = std::function<int(ToolContext&, const AllAccountsRequest&)>;

struct ToolSpec {
  std::string name;
  std::string description;
  bool takes_account = true;  // --account makes sense for this tool
  bool uses_database = true;  // --db makes sense for this tool (and --dry-run, as --account)
  // Checks the tool's configuration from the environment (secrets, settings)
  // after the flags and before anything else, whatever the run will find to
  // do; throws a usage error naming what is missing or bad.
  std::function<void()> check_config = nullptr;
  // The configuration is only needed by accounts that post (accounts.posting):
  // plan-post and publish do nothing for the others, so a missing token of an
  // account with posting off fails nothing. Checked as soon as the account is read.
  bool config_for_posting_only = false;
  // Set for per-account tools: --all-accounts and -j N run the tool once per
  // account, in -j N workers (db::run_all_accounts), or once per
  // account with something due (db::run_due_accounts). The configuration is
  // then checked by each account's run (by the parent for a skipped account).
  RunAllAccounts all_accounts = nullptr;
  // Under --all-accounts, stdin's JSON lines go to the run of the account they
  // name ("account"); lines naming none go to every account's run.
  bool stdin_by_account = false;
};

// Defines the tool's own flags on the CLI11 app; called before parsing.
using DefineFlags = std::function<void(CLI::App&)>;
// Runs the tool; returns its exit code.
using RunTool = std::function<int(ToolContext&)>;

// Parses argv with the common flags plus the tool's own, checks the
// configuration (spec.check_config), then runs. With GROWTHLOOP_METRICS_DIR set,
// every run that got past its flags (dry runs aside) writes its metrics there.
// The environment's GROWTHLOOP_ACCOUNT is the --account handle (X_*_FILE paths
// may name {account}). Bad flags
// exit 2 with usage (never CLI11's 100-127), --help/--version exit 0, an Error
// exits with its code, a lost database connection exits 75, anything else 1.
int run_tool(const ToolSpec& spec, int argc, char** argv, const DefineFlags& define,
             const RunTool& run);

// The exception in flight as the exit code a tool ends with and the message
// it prints, any password in it replaced by ***.
struct ExceptionReport {
  int exit_code;
  std::string message;
};
ExceptionReport describe_exception();

// A handle without its leading @.
std::string strip_handle_at(const std::string& handle);
// A handle as X compares them: ASCII, case-insensitive ("Alice" is @alice).
std::string handle_key(std::string handle);

// Prints describe_exception()'s message as "tool: error: ..." and returns its exit code.
int report_exception(const std::string& tool);

// Writes a run's metrics to GROWTHLOOP_METRICS_DIR when it is set, as
// finished now. Monitoring must not change a run's outcome: a file that
// cannot be written is a warning on stderr (cron mails it).
void write_metrics_if_asked(RunMetrics m, const Log& log);

// The exit code for a failed statement's SQLSTATE: 75 for what time cures
// (connection, shutdown, lock or statement timeout, deadlock), else 1.
int sqlstate_exit_code(const std::string& sqlstate);

}  // namespace gl
