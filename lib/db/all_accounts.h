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

}  // namespace gl::db
