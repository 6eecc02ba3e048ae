#include "db/job_run.h"

#include "core/error.h"
#include "core/json_lines.h"
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

// Runs of this tool and account still 'running' are over: this run holds
// their lock. They were killed or lost their connection; say so once.
void mark_stale_runs(AccountRun& run) {
  pqxx::work w(run.conn);
  const auto stale = w.exec_params(
      "UPDATE job_runs SET status = 'stale', finished_at = clock_timestamp(), "
      "  error = 'ended without recording its outcome (killed, or its database connection lost)' "
      "WHERE account_id = $1 AND tool = $2 AND status = 'running' "
      "RETURNING run_id, to_char(started_at AT TIME ZONE 'UTC', "
      "  'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
      run.account.id, run.ctx.tool);
  w.commit();
  for (const auto& r : stale) {
    run.ctx.log.warn("run {} (started {}) ended without recording its outcome; marked stale",
                     r[0].as<long long>(), r[1].as<std::string>());
  }
  if (!stale.empty()) run.stats["stale_runs_marked"] = stale.size();
}

void finish_job(pqxx::connection& conn, long long account_id, long long run_id, int exit_code,
                const nlohmann::json& stats, const std::string& error) {
  pqxx::work w(conn);
  w.exec_params0(
      "UPDATE job_runs SET finished_at = clock_timestamp(), status = $3, exit_code = $4, "
      "stats = $5::jsonb, error = nullif($6, '') WHERE account_id = $1 AND run_id = $2",
      account_id, run_id, exit_code == 0 ? "ok" : "failed", exit_code,
      stats.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), valid_utf8(error));
  w.commit();
}

// The run's X calls as api_usage holds them (jobs/usage.h writes a row per call
// on a connection of its own, committed at once): this tool's rows for this
// account past the newest row at the run's start; the (tool, account) lock
// keeps any other run's rows out.
constexpr const char* kNewestUsage =
    "SELECT coalesce(max(usage_id), 0) FROM api_usage WHERE account_id = $1";
constexpr const char* kRunUsage =
    "SELECT count(*), coalesce(sum(requests), 0), coalesce(sum(cost_usd), 0)::float8 "
    "FROM api_usage WHERE account_id = $1 AND tool = $2 AND usage_id > $3";

long long newest_usage(pqxx::connection& conn, long long account_id) {
  pqxx::read_transaction t(conn);
  return t.exec_params1(kNewestUsage, account_id)[0].as<long long>();
}

// api_requests and api_cost_usd in the run's stats (and so in job_runs and the
// metrics), when the run called X at all.
void add_api_usage(AccountRun& run, long long since_usage_id) {
  pqxx::read_transaction t(run.conn);
  const auto r = t.exec_params1(kRunUsage, run.account.id, run.ctx.tool, since_usage_id);
  if (r[0].as<long long>() == 0) return;
  run.stats["api_requests"] = r[1].as<long long>();
  run.stats["api_cost_usd"] = r[2].as<double>();
}

}  // namespace

std::unique_ptr<pqxx::connection> open_database(const ToolContext& ctx, bool check_schema) {
  auto conn = connect(resolve_conninfo(ctx.common.db), db_timeouts(ctx.tool));
  if (check_schema) require_current_schema(*conn);
  return conn;
}

int run_for_account(ToolContext& ctx, const std::function<int(AccountRun&)>& body) {
  // The run's session, given back when the run ends (after its lock is released).
  Session session(resolve_conninfo(ctx.common.db), db_timeouts(ctx.tool));
  require_current_schema(session.conn());
  pqxx::connection* conn = &session.conn();
  AccountRun run{ctx, *conn, resolve_account(*conn, ctx.common.account), ctx.clock.now()};
  ctx.outcome.account = run.account.handle;
  if (ctx.posting_config_check && run.account.posting) ctx.posting_config_check();
  AdvisoryLock lock(*conn, ctx.tool, run.account.id, AdvisoryLock::Mode::kTry);
  if (ctx.common.dry_run) return body(run);

  mark_stale_runs(run);
  const long long run_id = start_job(*conn, run.account.id, ctx.tool, run.now);
  const long long usage_before = newest_usage(*conn, run.account.id);
  int code = kExitFailure;
  std::string error;
  try {
    code = body(run);
  } catch (...) {
    // Recorded with the exit code and message the tool will end with, then rethrown.
    const ExceptionReport report = describe_exception();
    try {
      add_api_usage(run, usage_before);
    } catch (...) {
      // The connection is gone: the run's calls stay in api_usage all the same.
    }
    ctx.outcome.stats = run.stats;
    try {
      finish_job(*conn, run.account.id, run_id, report.exit_code, run.stats, report.message);
    } catch (...) {
      // A lost connection cannot record it: the next run marks this one stale.
    }
    throw;
  }
  add_api_usage(run, usage_before);
  ctx.outcome.stats = run.stats;
  finish_job(*conn, run.account.id, run_id, code, run.stats, error);
  return code;
}

}  // namespace gl::db
