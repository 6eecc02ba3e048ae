#include "jobs/learner_watermark.h"

#include <fmt/format.h>

#include <sstream>

#include "core/error.h"
#include "db/all_accounts.h"
#include "learn/rules.h"
#include "learn/text_features.h"

namespace gl::jobs {

namespace {

// One row of text; every part is an aggregate over one account's rows, by index.
// Each part is exact whatever order the rows are read in: a float8 sum is not
// (its last digits follow the scan order, which a plan chosen after ANALYZE, or
// a row moved by an update or VACUUM FULL, changes), so sums are of numeric;
// times are epoch seconds, not text in the session's time zone. The windows
// that move with `now` are counted at `now`: past the age gate, and the
// learner's MovingWindow ({trend} seconds over learning_posts, {rollup} over
// content_metadata's posts; 0 when it reads none): with the counts of all
// posts, a post entering or leaving a window changes one of them. The
// counters' sums and counts catch a reading that changes numbers without a
// newer collected_at (an older export imported after a newer one).
constexpr const char* kInputs =
    "concat_ws(' | ', "
    "  (SELECT concat_ws(',', count(*), count(*) FILTER (WHERE posted_at <= {now} - "
    "     make_interval(secs => {gate})), count(*) FILTER (WHERE {trend} > 0 AND posted_at > "
    "     {now} - make_interval(secs => {trend})), count(*) FILTER (WHERE available), "
    "     extract(epoch FROM max(collected_at)), extract(epoch FROM max(posted_at)), "
    "     sum(followers_gained::numeric), sum(impressions::numeric), count(impressions), "
    "     sum(likes::numeric), count(likes), sum(retweets::numeric), count(retweets), "
    "     sum(replies::numeric), count(replies), sum(quotes::numeric), count(quotes), "
    "     sum(bookmarks::numeric), count(bookmarks), sum(profile_clicks::numeric), "
    "     count(profile_clicks)) "
    "   FROM learning_posts WHERE account_id = {account} AND posted_at <= {now}), "
    "  (SELECT concat_ws(',', count(*) FILTER (WHERE status = 'posted'), "
    "     extract(epoch FROM max(posted_at)), count(*) FILTER (WHERE status IN ('queued', "
    "     'posting')), extract(epoch FROM max(created_at)), "
    "     count(*) FILTER (WHERE {rollup} > 0 AND posted_at > {now} - "
    "       make_interval(secs => {rollup}) AND posted_at <= {now})) "
    "   FROM content_metadata WHERE account_id = {account}), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(taken_at))) "
    "   FROM follower_snapshots WHERE account_id = {account}), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(collected_at))) FROM vi_tweets "
    "   WHERE account_id = {account}), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(collected_at))) FROM peer_posts "
    "   WHERE account_id = {account}), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(collected_at))) FROM reply_metrics "
    "   WHERE account_id = {account}), "
    "  (SELECT concat_ws(',', pooling, timezone, topics::text) FROM accounts "
    "   WHERE account_id = {account}), "
    "  to_char({now} AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 'text {text_version}')";

constexpr int kHour = 3600;

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
  w.commit();
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
