#include "jobs/import_history.h"

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

// The reserved generator of migration 0005: no persona wrote the account's past.
constexpr char kImportedGenerator[] = "imported";

// What the tables hold of the batch's posts.
constexpr const char* kSelectKnown = R"SQL(
SELECT cm.tweet_id, cm.decision_id::text, extract(epoch FROM cm.posted_at)::float8, cm.format,
       cm.topic, cm.metrics_state, coalesce(cm.unavailable_reason, ''),
       extract(epoch FROM cm.next_collect_at)::float8,
       o.decision_id IS NOT NULL, o.impressions, o.likes, o.retweets, o.replies, o.quotes,
       o.bookmarks, o.profile_clicks, o.url_clicks, extract(epoch FROM o.collected_at)::float8,
       o.followers_gained IS NOT NULL, coalesce(o.available, true), coalesce(o.anomalies, '{}')
FROM content_metadata cm
LEFT JOIN outcomes o ON o.account_id = cm.account_id AND o.decision_id = cm.decision_id
WHERE cm.account_id = $1 AND cm.tweet_id = ANY($2::text[]) AND cm.status = 'posted'
)SQL";

// The readings earlier imports stored: the same numbers again are no news.
constexpr const char* kSelectImported = R"SQL(
SELECT tweet_id, impressions, likes, retweets, replies, quotes, bookmarks, profile_clicks,
       url_clicks
FROM tweet_metrics
WHERE account_id = $1 AND tweet_id = ANY($2::text[]) AND metrics_source = 'imported'
)SQL";

constexpr const char* kInsertPosts = R"SQL(
INSERT INTO content_metadata (account_id, generator_name, topic, hook_type, format, tags,
  content, thread_parts, in_reply_to_tweet_id, status, posted_at, tweet_id, source, created_at,
  updated_at)
SELECT $1, $2, u.topic, u.hook, u.format, string_to_array(u.tags, '|'), u.content,
       CASE WHEN u.parts IS NULL THEN NULL
            ELSE ARRAY(SELECT jsonb_array_elements_text(u.parts::jsonb)) END,
       u.reply_to, 'posted', u.posted_at, u.tweet_id, 'imported', u.posted_at, $3
FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
            $11::text[], $12::timestamptz[])
  AS u(tweet_id, topic, hook, format, tags, content, parts, reply_to, posted_at)
RETURNING tweet_id, decision_id::text
)SQL";

constexpr const char* kAnalyze =
    "ANALYZE content_metadata, tweet_metrics, outcomes, learning_posts";

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

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : "|") + s;
  return out;
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
    batch_.push_back(std::move(p));
    if (batch_.size() >= options_.batch) flush();
  }

  void end() {
    flush();
    if (!one_transaction_) {
      work_->commit();
      work_.reset();
    }
  }

  // Commits the run's one transaction; a dry run or a failed --strict aborts it.
  void finish(bool commit) {
    if (work_ && commit && !run_.ctx.common.dry_run) work_->commit();
    work_.reset();
  }

 private:
  void flush();
  std::map<std::string, Known> load_known(const std::string& ids);
  void insert_new(const std::vector<const HistoryPost*>& posts,
                  std::map<std::string, Known>& known);

  db::AccountRun& run_;
  const ImportOptions& options_;
  ImportReport& report_;
  const bool one_transaction_;
  std::unique_ptr<pqxx::work> work_;
  std::vector<HistoryPost> batch_;
  size_t written_ = 0, analyze_at_ = 0;
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
  for (const auto& r : work_->exec_params(kSelectImported, run_.account.id, ids)) {
    auto it = known.find(r[0].as<std::string>());
    if (it == known.end()) continue;
    learn::PostCounts c = read_counts(r, 1);
    c.url_clicks = db::optional_count(r[8]);
    it->second.stored.imported.push_back(c);
  }
  return known;
}

void HistoryWriter::insert_new(const std::vector<const HistoryPost*>& posts,
                               std::map<std::string, Known>& known) {
  if (posts.empty()) return;
  std::vector<db::PgArray> cols(9);
  std::map<std::string, std::pair<std::string, std::string>> readings;  // id -> format, topic
  for (const HistoryPost* p : posts) {
    const import::PostReading reading = import::read_post(p->text, run_.account.topics);
    cols[0].add_text(p->id);
    cols[1].add_text(reading.topic);
    cols[2].add_text(reading.hook);
    cols[3].add_text(p->format);
    cols[4].add_text(join(reading.tags));
    cols[5].add_text(p->text);
    cols[6].add_text(p->thread_parts.empty() ? std::nullopt
                                             : std::optional(Json(p->thread_parts).dump()));
    cols[7].add_text(p->reply_to);
    cols[8].add_text(format_iso8601(p->posted_at));
    readings[p->id] = {p->format, reading.topic};
  }
  const auto inserted = work_->exec_params(
      kInsertPosts, run_.account.id, kImportedGenerator, format_iso8601(run_.now), cols[0].str(),
      cols[1].str(), cols[2].str(), cols[3].str(), cols[4].str(), cols[5].str(), cols[6].str(),
      cols[7].str(), cols[8].str());
  if (inserted.size() != posts.size()) {
    throw failure("content_metadata", "inserted " + std::to_string(inserted.size()) + " of " +
                                          std::to_string(posts.size()) + " imported posts");
  }
  for (const auto& r : inserted) {
    const std::string id = r[0].as<std::string>();
    Known& k = known[id];
    k.decision_id = r[1].as<std::string>();
    k.is_new = true;
    std::tie(k.format, k.topic) = readings[id];
  }
  for (const HistoryPost* p : posts) known[p->id].posted_at = p->posted_at;
}

void HistoryWriter::flush() {
  if (batch_.empty()) return;
  db::PgArray ids;
  for (const auto& p : batch_) ids.add_text(p.id);
  std::map<std::string, Known> known = load_known(ids.str());
  std::vector<const HistoryPost*> fresh;
  for (const auto& p : batch_) {
    if (!known.count(p.id)) fresh.push_back(&p);
  }
  insert_new(fresh, known);

  const TimePoint now = run_.now;
  std::vector<PostMetricsUpdate> updates;
  for (const auto& p : batch_) {
    const Known& k = known.at(p.id);
    const import::MergedMetrics m = import::merge_observations(k.stored, p.observations);
    if (m.snapshots.empty()) {
      report_.unchanged();
      continue;
    }
    PostMetricsUpdate u;
    u.decision_id = k.decision_id;
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
    report_.wrote(k.is_new, k.posted_at, k.format, k.topic);
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
  write_post_metrics(*work_, run_.account.id, now, updates);
  written_ += batch_.size();
  batch_.clear();
  if (written_ >= analyze_at_) {
    // The planner knows the tables' sizes but not that this account now holds
    // most of their rows (a fresh database, or an account new to a full one):
    // it would read every post of the account for each batch. Statistics
    // that include the rows written so far, each time they double, keep the
    // writes on the batch's own rows (ANALYZE sees this transaction's rows).
    work_->exec0(kAnalyze, "statistics of the tables import-history writes");
    analyze_at_ = 2 * written_;
  }
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
    writer.begin();
    import::read_archive(scan, analytics, report, add);
    writer.end();
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
  run.ctx.log.info("{} posts read: {} imported, {} updated, {} problems",
                   run.stats["posts_read"].get<long long>(), run.stats["imported"].get<long long>(),
                   run.stats["updated"].get<long long>(), report.problems());
  return report.bad_files() > 0 ? kExitUsage : 0;
}

}  // namespace gl::jobs
