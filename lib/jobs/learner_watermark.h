// The idle tick of a learner: a fingerprint of everything its run reads for
// the account at `now`, compared with the fingerprint of its last successful
// run. Unchanged, the learner does nothing else and says so in its stats
// ("skipped": "unchanged") and prints what the last run printed (its stored
// JSON lines: what a run on the same inputs would print); --full always runs.
//
// The fingerprint covers: every write to the tables the learners read
// (learning_posts, content_metadata, follower_snapshots, vi_tweets,
// peer_posts, reply_metrics), counted per account by triggers (migration
// 0017); the posts that cross the age gate, `now` itself, or the learner's
// MovingWindow at `now`; the account's pooling, time zone and topics; the UTC
// day of `now` (decay and staleness move with time: a full run at least once
// a day), and the text analysis' version. How rows lie on disk and which plan
// reads them are no input. It reads a few index entries whatever the
// account's size.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/cli.h"
#include "core/json_lines.h"
#include "db/job_run.h"

namespace gl::jobs {

// A window that moves with `now` which a learner's output reads beyond the
// age gate every learner applies: a post entering or leaving it is a change.
// Only the learner that reads it counts it: with a post every few minutes
// another learner's idle tick would otherwise never be idle.
enum class MovingWindow {
  kNone,
  kTrend7Days,     // update-generators: gated posts of the last 7 days against the earlier
  kRollup24Hours,  // aggregate: the roll-up of the posts of the last 24 h
};

class LearnerWatermark {
 public:
  // Reads the fingerprint before the learner reads anything, so what arrives
  // during the run makes the next run a full one.
  LearnerWatermark(db::AccountRun& run, bool full, MovingWindow window = MovingWindow::kNone);

  // True when the inputs equal those of the last successful run (never with
  // --full); then run.stats says "skipped": "unchanged".
  bool unchanged();
  // After unchanged(): the JSON lines the last run printed.
  const std::vector<Json>& previous_output() const { return previous_output_; }

  // Stores the fingerprint and the lines printed after a successful full run
  // (not in a dry run).
  void record(const std::vector<Json>& output);

 private:
  db::AccountRun& run_;
  bool full_;
  std::string inputs_;
  std::vector<Json> previous_output_;
};

// Folds the account's rows of learning_input_changes into one row carrying
// their sum once it has more than a few (the fingerprint reads them all), so
// the sum, and with it every learner's fingerprint, stays what it was. The
// learners call it after each run; a tool that writes often and may run
// without them (scrape-metrics) too, so the rows stay few either way.
void compact_input_changes(pqxx::work& w, long long account_id);

// --full: every learner's flag to recompute even when nothing changed.
void add_full_flag(CLI::App& app, bool& full);

// --all-accounts for a learner: one query computes every account's fingerprint
// and only the accounts whose inputs changed since their last successful run
// (or that have none) run. A skipped account prints the lines its
// last run stored, tagged with the account, as its own idle run would print
// them (learn-hourly's summary keeps the "at" of the run that computed it, and
// no new learning_summaries row is written), and its monitoring file records
// {"skipped": "unchanged"}. Every account runs when run_every_account() (asked
// after the flags are parsed: --full, or a flag whose runs never skip).
RunAllAccounts learner_all_accounts(std::function<bool()> run_every_account,
                                    MovingWindow window = MovingWindow::kNone);

}  // namespace gl::jobs
