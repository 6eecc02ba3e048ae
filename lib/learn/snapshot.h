// One collection of a tweet's metrics, and the checks it must pass before it
// is taken as the tweet's latest truth.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "learn/post_counts.h"

namespace gl::learn {

struct SnapshotCheck {
  std::vector<std::string> anomalies;
  // False when the snapshot contradicts itself or the history: it is stored as
  // an observation, flagged, and the tweet's latest values stay as they were.
  bool trusted = true;
  // The counters that fell by more than the slack below, each one anomaly.
  std::vector<Count PostCounts::*> fallen;
};

// Counters may dip a little (un-likes, removed retweets); a drop larger than
// max(kDecreaseSlack, kDecreaseFraction * previous) is an anomaly.
inline constexpr long long kDecreaseSlack = 2;
inline constexpr double kDecreaseFraction = 0.05;

// A reading is not trusted when it carries a parse anomaly, lacks the views
// of a post whose views were known (`views_missing`), has more engagement than
// views once its missing counters are filled from `previous`, or a counter fell.
SnapshotCheck check_snapshot(const PostCounts& now, const std::optional<PostCounts>& previous,
                             const std::vector<std::string>& parse_anomalies);

}  // namespace gl::learn
