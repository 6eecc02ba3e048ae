#include "jobs/publish.h"

#include "core/error.h"
#include "core/json_lines.h"
#include "db/connection.h"
#include "jobs/x_session.h"
#include "x/tweet_text.h"

namespace gl::jobs {

namespace {

struct QueuedPost {
  std::string decision_id;
  std::string format;
  std::vector<std::string> parts;  // the text, then a thread's further parts
  std::optional<std::string> reply_to;
  std::optional<std::string> tweet_id;  // a thread's opener, once posted
  std::string scheduled_at;
  TimePoint posting_started_at;
};

constexpr const char* kPostColumns =
    "decision_id::text, format, content, thread_parts, in_reply_to_tweet_id, tweet_id, "
    "to_char(scheduled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "extract(epoch FROM coalesce(posting_started_at, scheduled_at))::float8 ";

QueuedPost from_row(const pqxx::row& r) {
  QueuedPost p;
  p.decision_id = r[0].as<std::string>();
  p.format = r[1].as<std::string>();
  p.parts.push_back(r[2].as<std::string>());
  for (auto& part : db::from_pg_array(r[3])) p.parts.push_back(part);
  if (!r[4].is_null()) p.reply_to = r[4].as<std::string>();
  if (!r[5].is_null()) p.tweet_id = r[5].as<std::string>();
  p.scheduled_at = r[6].is_null() ? "" : r[6].as<std::string>();
  p.posting_started_at = from_epoch_seconds(r[7].as<double>());
  return p;
}

// The posts a statement returns (kPostColumns), in a transaction of type T
// (a read, or a write committed once read).
template <typename T = pqxx::read_transaction, typename... Args>
std::vector<QueuedPost> load(pqxx::connection& conn, const std::string& sql, Args&&... args) {
  T t(conn);
  std::vector<QueuedPost> out;
  for (const auto& r : t.exec_params(sql, std::forward<Args>(args)...)) out.push_back(from_row(r));
  t.commit();
  return out;
}

void mark_posted(pqxx::connection& conn, long long account_id, const std::string& decision_id,
                 const std::string& tweet_id, TimePoint posted_at, const std::string& note) {
  pqxx::work w(conn);
  w.exec_params1(
      "UPDATE content_metadata SET status = 'posted', tweet_id = $3, posted_at = $4, "
      "  next_collect_at = $4::timestamptz + interval '1 hour', failure_reason = nullif($5, ''), "
      "  updated_at = $4 "
      "WHERE account_id = $1 AND decision_id = $2 AND status = 'posting' RETURNING 1",
      account_id, decision_id, tweet_id, format_iso8601(posted_at), note);
  w.commit();
}

void set_status(pqxx::connection& conn, long long account_id, const std::string& decision_id,
                const std::string& status, const std::string& reason, TimePoint now) {
  pqxx::work w(conn);
  w.exec_params1(
      "UPDATE content_metadata SET status = $3, failure_reason = nullif($4, ''), "
      "  posting_started_at = CASE WHEN $3 = 'queued' THEN NULL ELSE posting_started_at END, "
      "  updated_at = $5 WHERE account_id = $1 AND decision_id = $2 RETURNING 1",
      account_id, decision_id, status, reason, format_iso8601(now));
  w.commit();
}

Json result_json(const QueuedPost& p, const std::string& status, const std::string& tweet_id,
                 const std::string& reason) {
  Json j = {{"decision_id", p.decision_id},
            {"status", status},
            {"scheduled_at", p.scheduled_at},
            {"format", p.format}};
  j["tweet_id"] = tweet_id.empty() ? Json(nullptr) : Json(tweet_id);
  if (!reason.empty()) j["reason"] = reason;
  return j;
}

// A post's text as X shows it back, to find it on the timeline: X returns
// each link as its own t.co link, so every URL (with a protocol or without)
// counts as one mark; NFC, white space runs as one space, none at the ends.
std::string timeline_key(const std::string& text) {
  const std::string n = x::nfc(text);
  return x::squeeze(x::without_entities(n, x::extract_urls(n)));
}

// Posts left `posting` by a run that did not learn the outcome: find them on
// the account's timeline before anything is tried again.
void reconcile(db::AccountRun& run, x::XClient& client, TimePoint now,
               std::chrono::minutes requeue_after, Json& stats) {
  const auto uncertain =
      load(run.conn,
           std::string("SELECT ") + kPostColumns +
               "FROM content_metadata WHERE account_id = $1 AND status = 'posting' "
               "AND posting_started_at <= $2 ORDER BY posting_started_at LIMIT $3",
           run.account.id, format_iso8601(now), 100);
  if (uncertain.empty()) return;
  if (!run.account.x_user_id) fetch_account_user(run, client);
  TimePoint earliest = uncertain.front().posting_started_at;
  for (const auto& p : uncertain) earliest = std::min(earliest, p.posting_started_at);
  const auto timeline =
      client.user_tweets(*run.account.x_user_id, earliest - std::chrono::minutes(10), 100);
  int found = 0, requeued = 0;
  for (const auto& p : uncertain) {
    const std::string text = timeline_key(p.parts.front());
    std::string match_id;
    TimePoint match_at = p.posting_started_at;
    for (const auto& t : timeline) {
      if (timeline_key(t.text) == text) {
        match_id = t.id;
        if (auto at = parse_iso8601(t.created_at)) match_at = *at;
        break;
      }
    }
    // X billed a post whose answer was lost; one whose id was recorded was billed then.
    if (!match_id.empty() && !p.tweet_id) client.record_found_post(p.parts.front());
    if (match_id.empty() && p.tweet_id) match_id = *p.tweet_id;  // a thread's opener went out
    if (!match_id.empty()) {
      mark_posted(run.conn, run.account.id, p.decision_id, match_id, match_at,
                  p.parts.size() > 1
                      ? "reconciled after an interrupted run; thread may be incomplete"
                      : "");
      emit(result_json(p, "posted", match_id, "reconciled"));
      ++found;
    } else if (now - p.posting_started_at >= requeue_after) {
      set_status(run.conn, run.account.id, p.decision_id, "queued", "", now);
      emit(result_json(p, "queued", "", "not found on the timeline after an interrupted post"));
      ++requeued;
    }
  }
  stats["reconciled"] = found;
  stats["requeued"] = requeued;
}

// X would refuse a part over 280 weighted characters, and no JSON can carry
// invalid UTF-8: fail it without a call.
std::optional<std::string> overlong_part(const QueuedPost& p) {
  for (const auto& part : p.parts) {
    if (!x::valid_utf8(part)) return std::string("invalid_text: not valid UTF-8");
    const int length = x::weighted_length(part);
    if (length > x::kMaxWeightedLength) {
      return "text_too_long: " + std::to_string(length) + " weighted characters > " +
             std::to_string(x::kMaxWeightedLength);
    }
  }
  return std::nullopt;
}

// Only what X says about the post itself fails it for good: duplicate content
// (403), a reply X does not allow (403: its parent neither mentions nor quotes
// the account), text too long or another invalid request (400). Any other 403
// (app permissions, suspended access), 401, 404 or limit concerns every post alike.
bool is_post_fault(x::Problem p) {
  return p == x::Problem::kDuplicate || p == x::Problem::kReplyNotAllowed ||
         p == x::Problem::kTooLong || p == x::Problem::kBadRequest;
}

// What a run does something for, over content_metadata cm: a queued post
// whose time has come (at the parameter `now`), and a post left `posting`.
std::string due_at(const char* now) {
  return std::string("cm.status = 'queued' AND cm.scheduled_at <= ") + now;
}
constexpr const char* kUncertain = "cm.status = 'posting'";

// No HTTP answer, or one we could not read: the post may be on X.
bool may_have_posted(x::Problem p) {
  return p == x::Problem::kTimeout || p == x::Problem::kTransport || p == x::Problem::kServer ||
         p == x::Problem::kMalformed;
}

// Fails the queued posts that missed their slot by more than options.max_late,
// all in one statement, and prints one line for each.
int fail_missed(db::AccountRun& run, const PublishOptions& options) {
  const std::string now_text = format_iso8601(run.now);
  const std::string cutoff = format_iso8601(run.now - options.max_late);
  const std::string reason = fmt::format(
      "missed its slot: {} within {} min of it, and a post this late would go out at an hour "
      "the plan did not choose",
      run.account.posting ? "publish did not run" : "the account's posting was off",
      options.max_late.count());
  const std::string missed_sql = "cm.status = 'queued' AND cm.scheduled_at < $2";
  const std::vector<QueuedPost> missed =
      run.ctx.common.dry_run
          ? load(run.conn,
                 std::string("SELECT ") + kPostColumns +
                     "FROM content_metadata cm WHERE account_id = $1 AND " + missed_sql +
                     " ORDER BY scheduled_at, decision_id",
                 run.account.id, cutoff)
          : load<pqxx::work>(run.conn,
                             std::string("UPDATE content_metadata cm SET status = 'failed', "
                                         "failure_reason = $3, updated_at = $4 WHERE account_id = "
                                         "$1 AND ") +
                                 missed_sql + " RETURNING " + kPostColumns,
                             run.account.id, cutoff, reason, now_text);
  for (const auto& p : missed)
    emit(result_json(p, run.ctx.common.dry_run ? "would_miss" : "missed", "", reason));
  // Expected while posting is off; a surprise, said under cron, when publish did not run.
  if (!missed.empty() && run.account.posting)
    run.ctx.log.warn(
        "{} queued post(s) missed their slot (publish did not run): failed, not posted",
        missed.size());
  else if (!missed.empty())
    run.ctx.log.info("{} queued post(s) missed their slot (posting is off): failed, not posted",
                     missed.size());
  return static_cast<int>(missed.size());
}

}  // namespace

int publish(db::AccountRun& run, const PublishOptions& options) {
  const TimePoint now = run.now;
  const std::string now_text = format_iso8601(now);
  Json& stats = run.stats;
  stats["missed"] = fail_missed(run, options);
  std::vector<QueuedPost> due;
  if (run.account.posting) {
    due = load(run.conn,
               std::string("SELECT ") + kPostColumns +
                   "FROM content_metadata cm WHERE account_id = $1 AND " + due_at("$2") +
                   " AND cm.scheduled_at >= $4 ORDER BY scheduled_at, decision_id LIMIT $3",
               run.account.id, now_text, options.limit, format_iso8601(now - options.max_late));
  } else {
    // Nothing new goes out; what may already be out is still reconciled below.
    run.ctx.log.info("@{} has posting off (accounts add {} --posting on): nothing posted",
                     run.account.handle, run.account.handle);
    stats["posting"] = false;
  }
  stats["due"] = due.size();
  if (run.ctx.common.dry_run) {
    for (const auto& p : due) {
      Json j = result_json(p, "would_post", "", "");
      j["text"] = p.parts;
      j["weighted_length"] = x::weighted_length(p.parts.front());
      emit(j);
    }
    return 0;
  }
  bool has_uncertain;
  {
    pqxx::read_transaction t(run.conn);
    has_uncertain = t.exec_params1(std::string("SELECT count(*) FROM content_metadata cm "
                                               "WHERE account_id = $1 AND ") +
                                       kUncertain,
                                   run.account.id)[0]
                        .as<long long>() > 0;
  }
  if (due.empty() && !has_uncertain) {
    run.ctx.log.info("nothing due to post");
    return 0;
  }
  // Credentials and user context were checked when the account was read if it
  // posts. With posting off they may be gone (a revoked token is a reason to
  // turn it off): a post left `posting` then waits for them, failing nothing.
  if (!run.account.posting && run.ctx.posting_config_check) {
    try {
      run.ctx.posting_config_check();  // the tool's own check, not made for this account
    } catch (const Error& e) {
      run.ctx.log.info("a post left posting is not reconciled while posting is off and {}",
                       e.what());
      stats["uncertain_left"] = true;
      return 0;
    }
  }
  auto client = open_x_client(run);
  // Whose account the posts would go out on, before any does.
  if (!due.empty()) verify_account_user(run, *client);
  reconcile(run, *client, now, options.requeue_after, stats);

  int posted = 0, failed = 0;
  for (const auto& p : due) {
    {
      pqxx::work w(run.conn);
      const auto claimed = w.exec_params(
          "UPDATE content_metadata SET status = 'posting', posting_started_at = $3, updated_at = "
          "$3 "
          "WHERE account_id = $1 AND decision_id = $2 AND status = 'queued' RETURNING 1",
          run.account.id, p.decision_id, now_text);
      w.commit();
      if (claimed.empty()) continue;  // cancelled or taken meanwhile
    }
    if (const auto reason = overlong_part(p)) {
      set_status(run.conn, run.account.id, p.decision_id, "failed", *reason, now);
      emit(result_json(p, "failed", "", *reason));
      ++failed;
      continue;
    }
    std::string first_id;
    size_t part = 0;
    try {
      std::optional<std::string> reply_to = p.reply_to;
      for (part = 0; part < p.parts.size(); ++part) {
        const auto tweet = client->post_tweet(p.parts[part], reply_to);
        if (part == 0) {
          first_id = tweet.id;
          if (p.parts.size() > 1) {
            // A thread's opener is on record before its parts go out.
            pqxx::work w(run.conn);
            w.exec_params0(
                "UPDATE content_metadata SET tweet_id = $3 WHERE account_id = $1 AND decision_id = "
                "$2",
                run.account.id, p.decision_id, first_id);
            w.commit();
          }
        }
        reply_to = tweet.id;
      }
      mark_posted(run.conn, run.account.id, p.decision_id, first_id, now, "");
      emit(result_json(p, "posted", first_id, ""));
      ++posted;
    } catch (const x::ApiError& e) {
      const x::Problem problem = e.problem();
      const std::string reason =
          std::string(x::problem_name(problem)) + ": " + e.classified().detail;
      if (!first_id.empty()) {
        // The opener is out, so the post is posted, whatever became of the rest of the thread.
        const std::string note = "thread incomplete: part " + std::to_string(part + 1) + " of " +
                                 std::to_string(p.parts.size()) + ": " + reason;
        mark_posted(run.conn, run.account.id, p.decision_id, first_id, now, note);
        emit(result_json(p, "posted", first_id, note));
        ++posted;
        if (is_post_fault(problem)) continue;
      } else if (is_post_fault(problem)) {
        set_status(run.conn, run.account.id, p.decision_id, "failed", reason, now);
        emit(result_json(p, "failed", "", reason));
        ++failed;
        continue;
      } else if (may_have_posted(problem)) {
        // It may have gone out: left `posting` for the next run to reconcile.
        emit(
            result_json(p, "posting", "", "outcome unknown (" + reason + "); reconciled next run"));
      } else {
        // Refused before posting, for a reason not the post's (rate limit, cap,
        // credits, auth, permissions): back in the queue, untouched.
        set_status(run.conn, run.account.id, p.decision_id, "queued", "", now);
      }
      stats["posted"] = posted;
      stats["failed"] = failed;
      throw;
    }
  }
  stats["posted"] = posted;
  stats["failed"] = failed;
  return 0;
}

std::string publish_due_accounts_sql() {
  return "SELECT a.account_id FROM accounts a WHERE EXISTS (SELECT 1 FROM content_metadata cm "
         "WHERE cm.account_id = a.account_id AND (" +
         due_at("$1") + " OR " + kUncertain + "))";
}

}  // namespace gl::jobs
