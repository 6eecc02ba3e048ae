// Spend on X, made visible: every call a tool makes is recorded in api_usage
// (what X returned and what it bills after its once-per-UTC-day rule, at the
// prices of api_prices), and the `usage` report reads it back.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "core/cli.h"
#include "core/clock.h"
#include "db/connection.h"
#include "x/client.h"

namespace gl::jobs {

// Records each X call of a run on a connection of its own, committed at once:
// what was spent stays recorded whatever becomes of the run's transactions,
// a dry run's included (X bills its reads, and the budgets count them).
class UsageRecorder {
 public:
  UsageRecorder(std::string conninfo, db::DbTimeouts timeouts, long long account_id,
                std::string tool, TimePoint now);
  void record(const x::ApiCall& call);

  // This run so far: resources X returned, and their estimated cost.
  long long resources() const { return resources_; }
  double cost_usd() const { return cost_usd_; }

 private:
  std::string conninfo_;
  db::DbTimeouts timeouts_;
  long long account_id_;
  std::string tool_;
  TimePoint now_;
  std::optional<db::Session> session_;  // opened at the first call recorded
  long long resources_ = 0;
  double cost_usd_ = 0;
};

// X's prices by kind, from api_prices.
std::map<std::string, double> load_prices(pqxx::transaction_base& t);

struct UsageOptions {
  std::string account;  // "" = every account
  int days = 30;        // the clock's UTC day and the days before it
};

// The usage report: spend per account, UTC day, tool, endpoint and kind, as
// JSON lines, or a table with the total on a terminal.
int run_usage(ToolContext& ctx, const UsageOptions& options);

}  // namespace gl::jobs
