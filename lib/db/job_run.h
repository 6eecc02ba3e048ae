// The frame of every per-account tool run: connect, check the schema, resolve
// the account, take the (tool, account) advisory lock, and record the run in
// job_runs with its stats and outcome.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/cli.h"
#include "db/accounts.h"
#include "db/connection.h"

namespace gl::db {

struct AccountRun {
  ToolContext& ctx;
  pqxx::connection& conn;
  Account account;
  // The run's business time, read once from ctx.clock: every phase reasons
  // with the same instant, and job_runs records it.
  TimePoint now;
  nlohmann::json stats = nlohmann::json::object();  // stored in job_runs, on success or failure
};

// Runs body inside the frame. A dry run takes the lock but records no job row.
// Returns the body's exit code; exceptions are recorded, then rethrown.
int run_for_account(ToolContext& ctx, const std::function<int(AccountRun&)>& body);

// Opens a connection for tools without an account (migrate, accounts).
std::unique_ptr<pqxx::connection> open_database(const ToolContext& ctx, bool check_schema = true);

}  // namespace gl::db
