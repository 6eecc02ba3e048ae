// Joining what several exports say about one post into the values the
// learners read. Each export is a reading of the post's counters as of when
// it was made. Newer numbers win, counter by counter: a counter one export
// lacks (the archive has no impressions) keeps the newest value another gave.
// A newer reading is checked against the values it replaces by the same rule
// scrape-metrics applies (learn::check_snapshot): it is kept as an observation
// with its anomalies, and the counters that fell keep their stored values while
// its others replace theirs (unless it is wrong as a whole). A
// reading already stored (the same numbers imported before) is no news, so
// importing the same files twice changes nothing, nor does an export whose
// counters an earlier import already holds (joined with other exports). Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "learn/post_counts.h"

namespace gl::import {

struct Observation {
  TimePoint as_of;
  learn::PostCounts counts;
  std::optional<long long> follows;  // new followers X credits to the post
};

// What the tables already hold for the post.
struct StoredMetrics {
  std::optional<learn::PostCounts> latest;  // outcomes
  std::optional<TimePoint> latest_at;       // outcomes.collected_at
  bool has_followers = false;               // outcomes.followers_gained is set
  std::vector<std::string> anomalies;       // outcomes.anomalies
  std::vector<learn::PostCounts> imported;  // its snapshots read from exports
};

struct ImportedSnapshot {
  TimePoint as_of;
  learn::PostCounts counts;
  std::vector<std::string> anomalies;
};

struct MergedMetrics {
  std::vector<ImportedSnapshot> snapshots;  // the readings to append; empty = nothing new
  learn::PostCounts latest;
  TimePoint latest_at;
  std::optional<long long> follows;    // to store; nullopt keeps what is there
  std::vector<std::string> anomalies;  // the newest reading's (else the stored ones)
};

bool same_counts(const learn::PostCounts& a, const learn::PostCounts& b);

MergedMetrics merge_observations(const StoredMetrics& stored,
                                 std::vector<Observation> observations);

}  // namespace gl::import
