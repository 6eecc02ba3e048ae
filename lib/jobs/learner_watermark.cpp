#include "jobs/learner_watermark.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <sstream>

#include "core/error.h"
#include "db/all_accounts.h"
#include "learn/rules.h"
#include "learn/text_features.h"

namespace gl::jobs {

namespace {

// One row of text, read from a few rows of each table by index whatever the
// account's size. What was written: the sum of the account's
// learning_input_changes (migration 0017: every statement writing the tables
// the learners read adds to it, so a new snapshot, a post queued or an older
// export imported after a newer one all change it; compaction keeps the sum).
// What moves with `now` over the same rows: the posts after `now` (in the past
// of a simulation), the posts not yet past the age gate, and the posts of the
// learner's MovingWindow ({trend} seconds over learning_posts, {rollup} over
// content_metadata's posts; 0 when it reads none): for a set of posts these
// counts change exactly when a post crosses one of the windows' ends (every
// format is named so that learning_posts' index, which leads with the format,
// reads only the window's rows).
constexpr const char* kInputs =
    "concat_ws(' | ', "
    "  (SELECT coalesce(sum(changes), 0) FROM learning_input_changes "
    "   WHERE account_id = {account}), "
    "  (SELECT concat_ws(',', count(*) FILTER (WHERE posted_at > {now}), count(*) FILTER (WHERE "
    "     posted_at > {now} - make_interval(secs => {gate})), count(*) FILTER (WHERE {trend} > 0 "
    "     AND posted_at > {now} - make_interval(secs => {trend}))) "
    "   FROM learning_posts WHERE account_id = {account} "
    "   AND format IN ('single', 'thread', 'reply') "
    "   AND posted_at > {now} - make_interval(secs => greatest({gate}, {trend}))), "
    "  (SELECT count(*) FROM content_metadata WHERE account_id = {account} AND {rollup} > 0 "
    "   AND posted_at > {now} - make_interval(secs => {rollup}) AND posted_at <= {now}), "
    "  (SELECT concat_ws(',', pooling, timezone, topics::text) FROM accounts "
    "   WHERE account_id = {account}), "
    "  to_char({now} AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'text {text_version}')";

constexpr int kHour = 3600;
// Rows of learning_input_changes an account keeps before a learner compacts
// them: a few hours of scrape-metrics' writes, read in well under a millisecond.
constexpr int kCompactAfter = 64;

// The fingerprint of the inputs of the account `account` (an SQL expression)
// at `now` (a timestamptz expression), for a learner that reads `window`.
std::string inputs_sql(const std::string& account, const std::string& now, MovingWindow window) {
  return fmt::format(fmt::runtime(kInputs), fmt::arg("account", account), fmt::arg("now", now),
                     fmt::arg("gate", learn::kGates.min_age_hours * kHour),
                     fmt::arg("trend", window == MovingWindow::kTrend7Days ? 7 * 24 * kHour : 0),
                     fmt::arg("rollup", window == MovingWindow::kRollup24Hours ? 24 * kHour : 0),
                     fmt::arg("text_version", learn::kTextFeaturesVersion));
}

}  // namespace

LearnerWatermark::LearnerWatermark(db::AccountRun& run, bool full, MovingWindow window)
    : run_(run), full_(full) {
  pqxx::read_transaction t(run.conn);
  inputs_ = t.exec_params1("SELECT " + inputs_sql("$1", "$2::timestamptz", window), run.account.id,
                           format_iso8601(run.now))[0]
                .as<std::string>();
}

bool LearnerWatermark::unchanged() {
  if (full_) return false;
  pqxx::read_transaction t(run_.conn);
  const auto r = t.exec_params(
      "SELECT inputs, output FROM learner_watermarks WHERE account_id = $1 AND tool = $2",
      run_.account.id, run_.ctx.tool);
  if (r.empty() || r[0][0].as<std::string>() != inputs_) return false;
  std::istringstream in(r[0][1].as<std::string>());
  try {
    previous_output_ = read_json_lines(in, "learner_watermarks.output");
  } catch (const Error& e) {
    run_.ctx.log.warn("{}: running in full", e.what());  // and storing it anew
    return false;
  }
  run_.stats["skipped"] = "unchanged";
  run_.ctx.log.info("nothing changed since the last run: skipped (--full runs anyway)");
  return true;
}

void LearnerWatermark::record(const std::vector<Json>& output) {
  if (run_.ctx.common.dry_run) return;
  std::string lines;
  for (const Json& j : output)
    lines += j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
  pqxx::work w(run_.conn);
  w.exec_params0(
      "INSERT INTO learner_watermarks (account_id, tool, inputs, output, run_at) "
      "VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (account_id, tool) DO UPDATE SET inputs = excluded.inputs, "
      "output = excluded.output, run_at = excluded.run_at",
      run_.account.id, run_.ctx.tool, inputs_, lines, format_iso8601(run_.now));
  compact_input_changes(w, run_.account.id);
  w.commit();
}

void compact_input_changes(pqxx::work& w, long long account_id) {
  // A writer's change that commits meanwhile is not deleted (not seen here)
  // and adds to the sum. Two compactions of one account (scrape-metrics and a
  // learner) take turns: each deletes its rows in its own order.
  db::lock_account_table(w, "learning_input_changes", account_id);
  w.exec_params0(
      "WITH old AS (DELETE FROM learning_input_changes WHERE account_id = $1 "
      "  AND (SELECT count(*) FROM learning_input_changes WHERE account_id = $1) > $2 "
      "  RETURNING changes) "
      "INSERT INTO learning_input_changes (account_id, changes) "
      "SELECT $1, sum(changes) FROM old HAVING count(*) > 0",
      account_id, kCompactAfter);
}

void add_full_flag(CLI::App& app, bool& full) {
  app.add_flag("--full", full, "recompute even when nothing changed since the last run");
}

RunAllAccounts learner_all_accounts(std::function<bool()> run_every_account, MovingWindow window) {
  return [run_every_account = std::move(run_every_account), window](
             ToolContext& ctx, const AllAccountsRequest& request) {
    if (run_every_account()) return db::run_all_accounts(ctx, request);
    // ctx.tool is the tool's own name (letters and '-'), never input.
    const std::string tool = "'" + ctx.tool + "'";
    db::DueAccounts due;
    due.due_sql =
        "SELECT a.account_id FROM accounts a LEFT JOIN learner_watermarks w "
        "ON w.account_id = a.account_id AND w.tool = " +
        tool + " WHERE w.inputs IS DISTINCT FROM " +
        inputs_sql("a.account_id", "$1::timestamptz", window);
    due.idle_stats = {{"skipped", "unchanged"}};
    due.idle_output_sql = "SELECT account_id, output FROM learner_watermarks WHERE tool = " + tool +
                          " AND account_id = ANY($1::bigint[])";
    return db::run_due_accounts(std::move(due))(ctx, request);
  };
}

}  // namespace gl::jobs
