#include "jobs/usage.h"

#include <fmt/format.h>
#include <unistd.h>

#include "core/error.h"
#include "core/json_lines.h"
#include "db/accounts.h"
#include "db/job_run.h"
#include "db/pg_array.h"

namespace gl::jobs {

namespace {

// One call: the resources by kind, those X has not billed yet today taken
// into api_reads, one api_usage row per kind at today's price; the call's
// requests on the first row (by kind) alone (migration 0014).
constexpr const char* kRecord =
    "WITH r AS (SELECT kind, id FROM unnest($5::text[], $6::text[]) AS r(kind, id)), "
    "fresh AS (INSERT INTO api_reads (account_id, day, kind, resource_id) "
    "  SELECT DISTINCT $1::bigint, ($4::timestamptz AT TIME ZONE 'UTC')::date, kind, id "
    "  FROM r WHERE id <> '' ON CONFLICT DO NOTHING RETURNING kind), "
    "per AS (SELECT kind, count(*) AS n, count(*) FILTER (WHERE id = '') AS per_request "
    "  FROM r GROUP BY kind), "
    "billed AS (SELECT kind, count(*) AS n FROM fresh GROUP BY kind) "
    "INSERT INTO api_usage (account_id, tool, endpoint, called_at, kind, requests, resources, "
    "  billable, cost_usd) "
    "SELECT $1, $2, $3, $4, per.kind, "
    "  CASE WHEN per.kind = (SELECT min(kind) FROM per) THEN $7 ELSE 0 END, per.n, "
    "  per.per_request + coalesce(billed.n, 0), "
    "  (per.per_request + coalesce(billed.n, 0)) * p.usd "
    "FROM per LEFT JOIN billed USING (kind) JOIN api_prices p ON p.kind = per.kind "
    "RETURNING resources, cost_usd::float8";
constexpr const char* kRecordEmpty =
    "INSERT INTO api_usage (account_id, tool, endpoint, called_at, kind, requests, resources, "
    "billable, cost_usd, problem) VALUES ($1, $2, $3, $4, NULL, $5, 0, 0, 0, $6)";

}  // namespace

UsageRecorder::UsageRecorder(std::string conninfo, db::DbTimeouts timeouts, long long account_id,
                             std::string tool, TimePoint now)
    : conninfo_(std::move(conninfo)),
      timeouts_(timeouts),
      account_id_(account_id),
      tool_(std::move(tool)),
      now_(now) {}

void UsageRecorder::record(const x::ApiCall& call) {
  std::vector<std::string> kinds, ids;
  for (const auto& [kind, id] : call.resources) {
    kinds.push_back(kind);
    ids.push_back(id);
  }
  if (!session_) session_.emplace(conninfo_, timeouts_);
  pqxx::work w(session_->conn());
  const std::string at = format_iso8601(now_);
  if (call.resources.empty()) {
    w.exec_params0(kRecordEmpty, account_id_, tool_, call.endpoint, at, std::max(1, call.attempts),
                   call.problem.empty() ? std::optional<std::string>() : call.problem);
  } else {
    for (const auto& row :
         w.exec_params(kRecord, account_id_, tool_, call.endpoint, at, db::to_pg_array(kinds),
                       db::to_pg_array(ids), std::max(0, call.attempts))) {
      resources_ += row[0].as<long long>();
      cost_usd_ += row[1].as<double>();
    }
  }
  w.commit();
}

std::map<std::string, double> load_prices(pqxx::transaction_base& t) {
  std::map<std::string, double> out;
  for (const auto& row : t.exec("SELECT kind, usd::float8 FROM api_prices")) {
    out[row[0].as<std::string>()] = row[1].as<double>();
  }
  return out;
}

int run_usage(ToolContext& ctx, const UsageOptions& o) {
  auto conn = db::open_database(ctx);
  // An account named is one that exists (exit 2 otherwise, not an empty report).
  const std::string handle =
      o.account.empty() ? std::string() : db::resolve_account(*conn, o.account).handle;
  pqxx::read_transaction t(*conn);
  const std::string now = format_iso8601(ctx.clock.now());
  const std::string sql =
      "SELECT a.handle, (u.called_at AT TIME ZONE 'UTC')::date::text, u.tool, u.endpoint, "
      "coalesce(u.kind, ''), sum(u.requests)::bigint, sum(u.resources)::bigint, "
      "sum(u.billable)::bigint, sum(u.cost_usd)::float8 "
      "FROM api_usage u JOIN accounts a ON a.account_id = u.account_id "
      "WHERE ($1 = '' OR lower(a.handle) = lower($1)) "
      "AND u.called_at <= $2::timestamptz "
      "AND u.called_at >= date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') "
      "  AT TIME ZONE 'UTC' - make_interval(days => $3 - 1) "
      "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5";
  const bool table = isatty(STDOUT_FILENO) != 0;
  if (table) {
    fmt::print("{:<16} {:<10} {:<18} {:<38} {:<16} {:>8} {:>9} {:>9} {:>10}\n", "account", "day",
               "tool", "endpoint", "kind", "requests", "returned", "billed", "usd");
  }
  double total = 0;
  for (const auto& r : t.exec_params(sql, handle, now, o.days)) {
    total += r[8].as<double>();
    if (table) {
      fmt::print("{:<16} {:<10} {:<18} {:<38} {:<16} {:>8} {:>9} {:>9} {:>10.4f}\n",
                 r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                 r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<long long>(),
                 r[6].as<long long>(), r[7].as<long long>(), r[8].as<double>());
    } else {
      emit({{"account", r[0].as<std::string>()},
            {"day", r[1].as<std::string>()},
            {"tool", r[2].as<std::string>()},
            {"endpoint", r[3].as<std::string>()},
            {"kind", r[4].as<std::string>()},
            {"requests", r[5].as<long long>()},
            {"resources", r[6].as<long long>()},
            {"billable", r[7].as<long long>()},
            {"cost_usd", r[8].as<double>()}});
    }
  }
  if (table) fmt::print("{:>139.4f}\n", total);
  return 0;
}

}  // namespace gl::jobs
