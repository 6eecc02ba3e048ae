#include "db/job_run.h"

#include "core/error.h"
#include "db/migrations.h"

namespace gl::db {

namespace {

long long start_job(pqxx::connection& conn, long long account_id, const std::string& tool,
                    TimePoint business_now) {
  pqxx::work w(conn);
  auto r = w.exec_params1(
      "INSERT INTO job_runs (account_id, tool, started_at, business_now, status) "
      "VALUES ($1, $2, clock_timestamp(), $3, 'running') RETURNING run_id",
      account_id, tool, format_iso8601(business_now));
  w.commit();
  return r[0].as<long long>();
}

void finish_job(pqxx::connection& conn, long long account_id, long long run_id, int exit_code,
                const nlohmann::json& stats, const std::string& error) {
  pqxx::work w(conn);
  w.exec_params0(
      "UPDATE job_runs SET finished_at = clock_timestamp(), status = $3, exit_code = $4, "
      "stats = $5::jsonb, error = nullif($6, '') WHERE account_id = $1 AND run_id = $2",
      account_id, run_id, exit_code == 0 ? "ok" : "failed", exit_code, stats.dump(), error);
  w.commit();
}

}  // namespace

std::unique_ptr<pqxx::connection> open_database(const ToolContext& ctx, bool check_schema) {
  auto conn = connect(resolve_conninfo(ctx.common.db));
  if (check_schema) require_current_schema(*conn);
  return conn;
}

int run_for_account(ToolContext& ctx, const std::function<int(AccountRun&)>& body) {
  auto conn = open_database(ctx);
  AccountRun run{ctx, *conn, resolve_account(*conn, ctx.common.account), ctx.clock.now()};
  AdvisoryLock lock(*conn, ctx.tool, run.account.id, AdvisoryLock::Mode::kTry);
  if (ctx.common.dry_run) return body(run);

  const long long run_id = start_job(*conn, run.account.id, ctx.tool, run.now);
  int code = kExitFailure;
  std::string error;
  try {
    code = body(run);
  } catch (const Error& e) {
    code = e.exit_code();
    error = e.what();
    try {
      finish_job(*conn, run.account.id, run_id, code, run.stats, error);
    } catch (...) {
    }
    throw;
  } catch (const std::exception& e) {
    try {
      finish_job(*conn, run.account.id, run_id, kExitFailure, run.stats, e.what());
    } catch (...) {
    }
    throw;
  }
  finish_job(*conn, run.account.id, run_id, code, run.stats, error);
  return code;
}

}  // namespace gl::db
