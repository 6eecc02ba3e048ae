#include "jobs/import_history.h"

#include <future>
#include <map>
#include <memory>

#include "core/error.h"
#include "core/json_lines.h"
#include "core/progress.h"
#include "db/pg_array.h"
#include "import/history.h"
#include "import/post_reading.h"
#include "jobs/learning_sql.h"
#include "jobs/metrics_write.h"
#include "learn/rules.h"
#include "learn/text_features.h"

namespace gl::jobs {

namespace {

using import::HistoryPost;
using import::ImportReport;

// X's first post (id 20, 2006-03-21 20:50:14 UTC): nothing older was posted on X.
const TimePoint kFirstPostOnX{std::chrono::seconds(1142974214)};

// What the tables hold of the batch's posts, found by their keys one post at
// a time (LATERAL ... OFFSET 0, with the account as an opaque value, as in
// jobs/metrics_write). The status is checked outside: inside, it would let the
// planner pick a partial index of posted rows, which a never-analyzed table (a
// first import) makes look cheapest, and read every post of the account for
// each post.
constexpr const char* kSelectKnown = R"SQL(
SELECT cm.tweet_id, cm.decision_id::text, extract(epoch FROM cm.posted_at)::float8, cm.format,
       cm.topic, cm.metrics_state, coalesce(cm.unavailable_reason, ''),
       extract(epoch FROM cm.next_collect_at)::float8,
       o.decision_id IS NOT NULL, o.impressions, o.likes, o.retweets, o.replies, o.quotes,
       o.bookmarks, o.profile_clicks, o.url_clicks, extract(epoch FROM o.collected_at)::float8,
       o.followers_gained IS NOT NULL, coalesce(o.available, true), coalesce(o.anomalies, '{}')
FROM unnest($2::text[]) AS i(tweet_id)
CROSS JOIN LATERAL (SELECT * FROM content_metadata cm
                    WHERE cm.account_id = (SELECT $1::int8) AND cm.tweet_id = i.tweet_id
                    OFFSET 0) cm
LEFT JOIN LATERAL (SELECT * FROM outcomes o
                   WHERE o.account_id = (SELECT $1::int8) AND o.decision_id = cm.decision_id
                   OFFSET 0) o ON true
WHERE cm.status = 'posted'
)SQL";

// The readings earlier imports stored: the same numbers again are no news.
constexpr const char* kSelectImported = R"SQL(
SELECT tm.tweet_id, tm.impressions, tm.likes, tm.retweets, tm.replies, tm.quotes, tm.bookmarks,
       tm.profile_clicks, tm.url_clicks
FROM unnest($2::text[]) AS i(tweet_id)
CROSS JOIN LATERAL (SELECT * FROM tweet_metrics tm
                    WHERE tm.account_id = (SELECT $1::int8) AND tm.tweet_id = i.tweet_id
                      AND tm.metrics_source = 'imported'
                    OFFSET 0) tm
)SQL";

// Statistics of the tables import-history writes, once its rows are committed.
constexpr const char* kAnalyze =
    "ANALYZE content_metadata, tweet_metrics, outcomes, learning_posts";
// The rows the planner believes content_metadata holds.
constexpr const char* kPlannedRows =
    "SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'content_metadata'::regclass";

struct Known {
  std::string decision_id, format, topic;
  TimePoint posted_at;
  bool is_new = false;
  std::string state, reason;
  std::optional<TimePoint> next_at;
  bool available = true;
  import::StoredMetrics stored;
};

std::optional<TimePoint> epoch(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return from_epoch_seconds(f.as<double>());
}

// Writes batches of posts, one transaction per unit (an export file), or one
// for the whole run (--strict, --dry-run).
class HistoryWriter {
 public:
  HistoryWriter(db::AccountRun& run, const ImportOptions& options, ImportReport& report)
      : run_(run),
        options_(options),
        report_(report),
        one_transaction_(options.strict || run.ctx.common.dry_run) {}

  void begin() {
    if (!work_) work_ = std::make_unique<pqxx::work>(run_.conn);
    written_at_begin_ = written_;
  }

  // Drops what the unit begun wrote (its file broke while it was read): the
  // write under way is waited for, the batch dropped, the transaction rolled
  // back. With one transaction for the run (--strict, --dry-run) the earlier
  // units go with it: --strict refuses the run anyway, and a dry run commits nothing.
  void abandon() {
    if (writing_.valid()) {
      try {
        writing_.get();
      } catch (...) {
        // Its transaction is rolled back below either way.
      }
    }
    batch_.clear();
    pending_.clear();
    work_.reset();
    written_ = written_at_begin_;
  }

  void add(HistoryPost&& p) {
    if (options_.since && p.posted_at < *options_.since) {
      report_.skip("before_since");
      return;
    }
    if (p.posted_at > run_.now) {
      report_.skip("posted_after_now");
      return;
    }
    if (p.posted_at < kFirstPostOnX) {
      report_.skip("before_x");
      return;
    }
    batch_.push_back(std::move(p));
    if (batch_.size() >= options_.batch) flush();
  }

  void end() {
    flush();
    drain();
    if (!one_transaction_) {
      work_->commit();
      work_.reset();
    }
  }

  // Commits the run's one transaction; a dry run or a failed --strict aborts it.
  void finish(bool commit) {
    if (writing_.valid()) writing_.wait();  // (end() drained it, unless it threw)
    if (work_ && commit && !run_.ctx.common.dry_run) work_->commit();
    work_.reset();
  }

  // The posts written (imported or updated), committed or not.
  size_t written() const { return written_; }

 private:
  void flush();
  void write_pending();
  void drain();
  std::map<std::string, Known> load_known(const std::string& ids);

  db::AccountRun& run_;
  const ImportOptions& options_;
  ImportReport& report_;
  const bool one_transaction_;
  std::unique_ptr<pqxx::work> work_;
  std::vector<HistoryPost> batch_;
  // The last batch's rows, written while the next batch's texts are read;
  // declared after work_, so it is waited for before the transaction ends.
  std::vector<PostMetricsUpdate> pending_;
  std::future<void> writing_;
  size_t written_ = 0, written_at_begin_ = 0;
};

std::map<std::string, Known> HistoryWriter::load_known(const std::string& ids) {
  std::map<std::string, Known> known;
  for (const auto& r : work_->exec_params(kSelectKnown, run_.account.id, ids)) {
    Known& k = known[r[0].as<std::string>()];
    k.decision_id = r[1].as<std::string>();
    k.posted_at = from_epoch_seconds(r[2].as<double>());
    k.format = r[3].as<std::string>();
    k.topic = r[4].as<std::string>();
    k.state = r[5].as<std::string>();
    k.reason = r[6].as<std::string>();
    k.next_at = epoch(r[7]);
    if (r[8].as<bool>()) {
      k.stored.latest = read_counts(r, 9);
      k.stored.latest->url_clicks = db::optional_count(r[16]);
      k.stored.latest_at = epoch(r[17]);
      k.stored.has_followers = r[18].as<bool>();
    }
    k.available = r[19].as<bool>();
    k.stored.anomalies = db::from_pg_array(r[20]);
  }
  if (known.empty()) return known;
  for (const auto& r : work_->exec_params(kSelectImported, run_.account.id, ids)) {
    auto it = known.find(r[0].as<std::string>());
    if (it == known.end()) continue;
    learn::PostCounts c = read_counts(r, 1);
    c.url_clicks = db::optional_count(r[8]);
    it->second.stored.imported.push_back(c);
  }
  return known;
}

// The batch's posts as the tables hold them are read before the previous
// batch is written (a unit's batches hold distinct posts: the archive reader
// skips repeated ids, the analytics' posts are keyed by id), so that write
// runs while this batch's texts are read, on a 2-core machine the two halves
// of an import's time.
void HistoryWriter::flush() {
  if (batch_.empty()) return;
  db::PgArray ids;
  for (const auto& p : batch_) ids.add_text(p.id);
  if (writing_.valid()) writing_.get();
  std::map<std::string, Known> known = load_known(ids.str());
  write_pending();

  // The texts are read once, when their posts are new: a re-import reads none.
  std::vector<const std::string*> fresh;
  for (const auto& p : batch_) {
    if (!known.count(p.id)) fresh.push_back(&p.text);
  }
  const std::vector<import::PostReading> readings = import::read_posts(fresh, run_.account.topics);

  const TimePoint now = run_.now;
  std::vector<PostMetricsUpdate> updates;
  size_t next_reading = 0;
  for (auto& p : batch_) {
    std::optional<NewPost> insert;
    if (!known.count(p.id)) {
      const import::PostReading& reading = readings[next_reading++];
      Known& k = known[p.id];
      k.is_new = true;
      k.posted_at = p.posted_at;
      k.format = p.format;
      k.topic = reading.topic;
      insert =
          NewPost{kImportedGenerator, reading.topic, reading.hook,   p.format,  std::move(p.text),
                  "imported",         reading.tags,  p.thread_parts, p.reply_to};
    }
    const Known& k = known.at(p.id);
    const import::MergedMetrics m = import::merge_observations(k.stored, p.observations);
    if (m.snapshots.empty()) {
      report_.unchanged();
      continue;
    }
    PostMetricsUpdate u;
    u.decision_id = k.decision_id;
    u.insert = std::move(insert);
    u.tweet_id = p.id;
    u.posted_at = k.posted_at;
    for (const auto& s : m.snapshots)
      u.snapshots.push_back({s.counts, "imported", s.anomalies, s.as_of});
    u.latest = m.latest;
    u.latest_at = m.latest_at;
    if (m.follows) u.followers = static_cast<double>(*m.follows);
    u.er = learn::engagement_rate(u.latest);
    u.available = k.available;
    u.gates = learn::evaluate_gates(u.latest, hours_between(k.posted_at, now), k.available);
    u.anomalies = m.anomalies;
    if (k.is_new) {
      // Posts younger than the collection schedule are collected on by scrape-metrics.
      u.next_at = next_collection(k.posted_at, now);
      u.state = u.next_at ? "collected" : "done";
    } else {
      u.state = k.state;
      u.reason = k.reason;
      u.next_at = k.next_at;
    }
    using Written = import::ImportReport::Written;
    const bool new_numbers =
        !k.stored.latest || !import::same_counts(*k.stored.latest, u.latest) || m.follows;
    report_.wrote(k.is_new      ? Written::kNew
                  : new_numbers ? Written::kNewNumbers
                                : Written::kOlderReadings,
                  k.posted_at, k.format, k.topic);
    const std::pair<const char*, learn::Count learn::PostCounts::*> kMetrics[] = {
        {"impressions", &learn::PostCounts::impressions},
        {"likes", &learn::PostCounts::likes},
        {"retweets", &learn::PostCounts::retweets},
        {"replies", &learn::PostCounts::replies},
        {"bookmarks", &learn::PostCounts::bookmarks},
        {"profile_clicks", &learn::PostCounts::profile_clicks},
        {"url_clicks", &learn::PostCounts::url_clicks}};
    for (const auto& [name, field] : kMetrics) {
      if (u.latest.*field) report_.metric_known(name);
    }
    if (m.follows || k.stored.has_followers) report_.metric_known("follows");
    if (u.gates.passed) report_.passed_gates();
    updates.push_back(std::move(u));
  }
  batch_.clear();
  pending_ = std::move(updates);
}

// Starts writing the pending batch; the connection is the writer's until drain().
void HistoryWriter::write_pending() {
  if (pending_.empty()) return;
  written_ += pending_.size();
  writing_ = std::async(std::launch::async, [this, updates = std::move(pending_)] {
    write_post_metrics(*work_, run_.account.id, run_.now, updates);
  });
  pending_.clear();
}

// Waits for the writes started, then writes what is pending.
void HistoryWriter::drain() {
  if (writing_.valid()) writing_.get();
  write_pending();
  if (writing_.valid()) writing_.get();
}

// "file:12" as a file and a line.
std::pair<std::string, long> file_and_line(const std::string& subject) {
  const auto colon = subject.rfind(':');
  if (colon == std::string::npos || colon + 1 == subject.size() ||
      subject.find_first_not_of("0123456789", colon + 1) != std::string::npos)
    return {subject, 0};
  return {subject.substr(0, colon), std::stol(subject.substr(colon + 1))};
}

bool same_account(const import::ArchiveAccount& a, const db::Account& account) {
  if (account.x_user_id && !a.user_id.empty()) return *account.x_user_id == a.user_id;
  return learn::lower(a.handle) == learn::lower(account.handle);
}

// Once the run's rows are committed, the statistics of the tables it wrote,
// when it wrote as many rows as autovacuum waits for (50 and 10% of the rows
// the planner knows of, its default threshold): the learners that run next
// plan with the account's real size rather than a minute later. After the
// commit, so ANALYZE's lock is taken for the ANALYZE alone, not held through
// the import against autovacuum and another import's ANALYZE. The writes
// themselves need no statistics (jobs/metrics_write).
void analyze_if_grown(pqxx::connection_base& conn, size_t written) {
  if (written == 0) return;
  pqxx::nontransaction t(conn);
  const double planned = t.exec1(kPlannedRows, "content_metadata's planned rows")[0].as<double>();
  if (static_cast<double>(written) < 50 + 0.1 * planned) return;
  t.exec0(kAnalyze, "statistics of the tables import-history wrote");
}

}  // namespace

int import_history(db::AccountRun& run, const ImportOptions& options) {
  ImportReport report;
  const import::ExportInputs inputs = import::find_inputs(options.paths, report);
  import::AnalyticsIndex analytics(inputs.analytics, run.now, report);
  std::vector<import::ArchiveScan> scans;
  for (const auto& files : inputs.archives) {
    try {
      auto scan = import::scan_archive(files, run.account.handle,
                                       run.account.x_user_id.value_or(""), run.now, report);
      if (scan.account && !same_account(*scan.account, run.account)) {
        report.bad_file(files.label, "the archive is @" +
                                         import::printable(scan.account->handle, 20) + "'s, not @" +
                                         run.account.handle + "'s");
        continue;
      }
      scans.push_back(std::move(scan));
    } catch (const Error& e) {
      const auto [file, line] = file_and_line(e.subject());
      report.bad_file(file, e.reason() + "; nothing of this archive is imported", line);
    }
  }

  const auto finish = [&](bool written) {
    Json summary = report.summary();
    summary["account"] = run.account.handle;
    summary["dry_run"] = run.ctx.common.dry_run;
    summary["written"] = written && !run.ctx.common.dry_run;
    for (const char* k : {"posts_read", "imported", "updated", "unchanged", "problems_total"})
      run.stats[k] = summary[k];
    // Bad input is named on stderr too, as file:line: reason (the first ones; all are counted).
    for (const auto& p : report.first_problems()) {
      if (p.line > 0) {
        run.ctx.log.warn("{}:{}: {}", p.file, p.line, p.reason);
      } else {
        run.ctx.log.warn("{}: {}", p.file, p.reason);
      }
    }
    emit(summary);
  };
  const auto strict_refusal = [&] {
    return usage_error("--strict", std::to_string(report.problems()) +
                                       " problems in the input (listed in the summary); nothing "
                                       "imported");
  };
  if (options.strict && report.problems() > 0) {
    finish(false);
    throw strict_refusal();
  }

  HistoryWriter writer(run, options, report);
  Progress progress(run.ctx.tool, "posts read", 0);  // on a terminal only
  const auto add = [&](HistoryPost&& p) {
    writer.add(std::move(p));
    progress.advance();
  };
  for (const auto& scan : scans) {
    // A file that changes while it is read (truncated, rewritten after the scan)
    // breaks here: that archive is a bad file, as it would be at the scan, and
    // the other files go on. Anything else stops the run.
    const ImportReport before = report;
    writer.begin();
    try {
      import::read_archive(scan, analytics, report, add);
      writer.end();
    } catch (const Error& e) {
      const auto [file, line] = file_and_line(e.subject());
      if (file.rfind(scan.files.label, 0) != 0) throw;
      writer.abandon();
      report = before;
      report.bad_file(file, e.reason() + "; nothing of this archive is imported", line);
    }
  }
  for (const auto& ids : analytics.remaining_by_file()) {
    if (ids.empty()) continue;
    writer.begin();
    for (const auto& id : ids) {
      if (auto p = analytics.analytics_post(id, report)) add(std::move(*p));
    }
    writer.end();
  }
  progress.finish();
  const bool refused = options.strict && report.problems() > 0;
  writer.finish(!refused);
  finish(!refused);
  if (refused) throw strict_refusal();
  if (!run.ctx.common.dry_run) analyze_if_grown(run.conn, writer.written());
  run.ctx.log.info("{} posts read: {} imported, {} updated, {} problems",
                   run.stats["posts_read"].get<long long>(), run.stats["imported"].get<long long>(),
                   run.stats["updated"].get<long long>(), report.problems());
  return report.bad_files() > 0 ? kExitUsage : 0;
}

}  // namespace gl::jobs
