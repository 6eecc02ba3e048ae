// --all-accounts: a per-account tool run once for every account of the
// database, each account with its own advisory lock and job_runs row, in -j N
// workers that run account after account in one session each (core/fan_out.h).
#pragma once

#include <string>

#include "core/cli.h"
#include "core/json_lines.h"

namespace gl::db {

// Lists the accounts, runs the tool for each, prints every line of their
// stdout with "account" set, and a line {"account", "failed": true,
// "exit_code", "error"} for each account whose run failed. Returns
// worst_exit_code of the accounts' runs (0 when the database has none).
int run_all_accounts(ToolContext& ctx, const AllAccountsRequest& request);

// What a tool whose run does nothing for an account unless something is due
// asks the database, once, before starting any account.
struct DueAccounts {
  // $1 = the run's now: the account_ids with something to do.
  std::string due_sql;
  // The stats a skipped account's monitoring file records: what its own idle
  // run would say.
  Json idle_stats = {{"due", 0}, {"skipped", "nothing_due"}};
  // Optional, $1 = the skipped accounts' ids (bigint[]): (account_id, output),
  // the JSON lines a skipped account's own idle run prints (a learner's stored
  // output); the parent prints them tagged with the account, as it would the
  // run's.
  std::string idle_output_sql = "";
};

// The same for a tool whose run does nothing for an account unless one query
// finds something due (publish, scrape-metrics, a learner whose inputs did not
// change, plan-post with a full queue): only the accounts `due` selects run,
// so a fleet's tick costs one query and the accounts with work. An account that
// stdin's lines name always runs (the lines are its input). A skipped
// account's configuration is still checked (request.check_config, in the
// parent), it gets no job_runs row (no run of it happened), and its
// monitoring file records a success with `due.idle_stats`.
RunAllAccounts run_due_accounts(DueAccounts due);

}  // namespace gl::db
