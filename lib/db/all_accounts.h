// --all-accounts: a per-account tool run once for every account of the
// database, each account in a process of its own (core/fan_out.h) and so in
// its own connection, advisory lock and job_runs row, at most -j N at once.
#pragma once

#include "core/cli.h"

namespace gl::db {

// Lists the accounts, runs the tool for each, prints every line of their
// stdout with "account" set, and a line {"account", "failed": true,
// "exit_code", "error"} for each account whose run failed. Returns
// worst_exit_code of the accounts' runs (0 when the database has none).
int run_all_accounts(ToolContext& ctx, const AllAccountsRequest& request);

// The same for a tool whose run does nothing for an account unless one query
// finds something due (publish, scrape-metrics): `due_sql` ($1 = the run's
// now) selects the account_ids with something due, and only those get a
// process, so a fleet's tick costs one query and the accounts with work
// instead of a process and a database session per account. A skipped
// account's configuration is still checked (request.check_config, in the
// parent), it gets no job_runs row (no run of it happened), and its
// monitoring file records a success with {"due": 0} as its own run would.
RunAllAccounts run_due_accounts(std::string due_sql);

}  // namespace gl::db
