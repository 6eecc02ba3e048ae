// The one write of collected metrics into the four tables: tweet_metrics
// (snapshots), outcomes (the latest trusted values, gates, success), then
// learning_posts and content_metadata's actual_* columns copied from outcomes
// in the same transaction, so the four never disagree. scrape-metrics writes
// each batch of X's answers through it; import-history writes the numbers of
// the account's exports through it.
#pragma once

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.h"
#include "learn/post_counts.h"
#include "learn/rules.h"

namespace gl::jobs {

// Collection schedule by age: first read as soon as possible, then at these
// ages (hours), then stop.
inline constexpr double kCollectAtHours[] = {1, 2, 6, 24, 72, 168};

// When a post posted at `posted_at` is next due after `now`; none once it is
// past the last age of the schedule.
std::optional<TimePoint> next_collection(TimePoint posted_at, TimePoint now);

// One reading of a post's counters, appended to tweet_metrics as it was read.
struct MetricsSnapshot {
  learn::PostCounts counts;
  std::string source;  // public, organic (X API) or imported (an export)
  std::vector<std::string> anomalies;
  TimePoint collected_at;
};

// A post content_metadata does not hold yet (one of the account's past posts,
// imported): its row is inserted with its metrics state in one write, never
// inserted and then updated. Posted by the account, so created when posted.
struct NewPost {
  std::string generator, topic, hook, format, content, source;
  std::vector<std::string> tags, thread_parts;
  std::optional<std::string> reply_to;
};

// One post's new state, ready to write.
struct PostMetricsUpdate {
  std::string decision_id, tweet_id;  // decision_id empty for a new post
  std::optional<NewPost> insert;      // a post to add to content_metadata
  TimePoint posted_at;
  std::vector<MetricsSnapshot> snapshots;  // none when X had no data for it
  learn::PostCounts latest;                // what outcomes will hold
  TimePoint latest_at;                     // when `latest` was read (outcomes.collected_at)
  // Follows X reported for the post (analytics exports); otherwise the sum of
  // its follower attribution.
  std::optional<double> followers;
  std::optional<double> er;
  std::optional<double> velocity;
  learn::GateResult gates;
  bool available = true;
  std::vector<std::string> anomalies;
  std::string state;   // content_metadata.metrics_state
  std::string reason;  // unavailable_reason ("" = none)
  std::optional<TimePoint> next_at;
};

// Writes the four tables for `updates` (each post once) inside `t`; the
// caller commits. `now` stamps content_metadata.updated_at. Set-based: one
// statement for the new posts' content_metadata rows, one for the snapshots
// and one for outcomes, learning_posts and the other posts' content_metadata
// together, whatever the batch's size; each reads only the batch's rows
// through their keys' indexes, whatever the tables' statistics say (a bulk
// import writes in one transaction, which autovacuum cannot analyze).
// Returns the decision ids of the new posts, by tweet id. Anything else derived
// from a post when its numbers are written belongs in a function of its own
// called from here, in the same transaction.
std::map<std::string, std::string> write_post_metrics(
    pqxx::transaction_base& t, long long account_id, TimePoint now,
    const std::vector<PostMetricsUpdate>& updates);

}  // namespace gl::jobs
