#include "jobs/learner_watermark.h"

#include <sstream>

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
// learner's MovingWindow ($5 over learning_posts, $6 over content_metadata's
// posts; 0 when it reads none): with the counts of all posts, a post entering
// or leaving a window changes one of them.
constexpr const char* kInputs =
    "SELECT concat_ws(' | ', "
    "  (SELECT concat_ws(',', count(*), count(*) FILTER (WHERE posted_at <= $2::timestamptz - "
    "     make_interval(secs => $3)), count(*) FILTER (WHERE $5::int > 0 AND posted_at > "
    "     $2::timestamptz - make_interval(secs => $5::int)), count(*) FILTER (WHERE available), "
    "     extract(epoch FROM max(collected_at)), extract(epoch FROM max(posted_at)), "
    "     sum(followers_gained::numeric)) "
    "   FROM learning_posts WHERE account_id = $1 AND posted_at <= $2), "
    "  (SELECT concat_ws(',', count(*) FILTER (WHERE status = 'posted'), "
    "     extract(epoch FROM max(posted_at)), count(*) FILTER (WHERE status IN ('queued', "
    "     'posting')), extract(epoch FROM max(created_at)), "
    "     count(*) FILTER (WHERE $6::int > 0 AND posted_at > $2::timestamptz - "
    "       make_interval(secs => $6::int) AND posted_at <= $2)) "
    "   FROM content_metadata WHERE account_id = $1), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(taken_at))) "
    "   FROM follower_snapshots WHERE account_id = $1), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(collected_at))) FROM vi_tweets "
    "   WHERE account_id = $1), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(collected_at))) FROM peer_posts "
    "   WHERE account_id = $1), "
    "  (SELECT concat_ws(',', count(*), extract(epoch FROM max(collected_at))) FROM reply_metrics "
    "   WHERE account_id = $1), "
    "  to_char($2::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD'), $4::text)";

constexpr int kHour = 3600;

}  // namespace

LearnerWatermark::LearnerWatermark(db::AccountRun& run, bool full, MovingWindow window)
    : run_(run), full_(full) {
  const int learning_posts_window = window == MovingWindow::kTrend7Days ? 7 * 24 * kHour : 0;
  const int posts_window = window == MovingWindow::kRollup24Hours ? 24 * kHour : 0;
  pqxx::read_transaction t(run.conn);
  inputs_ = t.exec_params1(kInputs, run.account.id, format_iso8601(run.now),
                           learn::kGates.min_age_hours * kHour,
                           "text " + std::to_string(learn::kTextFeaturesVersion),
                           learning_posts_window, posts_window)[0]
                .as<std::string>();
}

bool LearnerWatermark::unchanged() {
  if (full_) return false;
  pqxx::read_transaction t(run_.conn);
  const auto r = t.exec_params(
      "SELECT inputs, output FROM learner_watermarks WHERE account_id = $1 AND tool = $2",
      run_.account.id, run_.ctx.tool);
  if (r.empty() || r[0][0].as<std::string>() != inputs_) return false;
  previous_output_ = r[0][1].as<std::string>();
  run_.stats["skipped"] = "unchanged";
  run_.ctx.log.info("nothing changed since the last run: skipped (--full runs anyway)");
  return true;
}

std::vector<Json> LearnerWatermark::previous_output() const {
  std::istringstream in(previous_output_);
  return read_json_lines(in, "learner_watermarks.output");
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

}  // namespace gl::jobs
