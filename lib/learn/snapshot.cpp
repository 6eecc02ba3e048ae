#include "learn/snapshot.h"

#include <algorithm>
#include <cmath>

namespace gl::learn {

SnapshotCheck check_snapshot(const TweetMetricsSnapshot& now,
                             const std::optional<TweetMetricsSnapshot>& previous,
                             const std::vector<std::string>& parse_anomalies) {
  SnapshotCheck c;
  for (const auto& a : parse_anomalies) {
    c.anomalies.push_back(a);
    c.trusted = false;
  }
  const long long engagement = now.likes.value_or(0) + now.retweets.value_or(0) +
                               now.replies.value_or(0) + now.quotes.value_or(0) +
                               now.bookmarks.value_or(0);
  if (now.impressions && engagement > *now.impressions) {
    c.anomalies.push_back("engagement_exceeds_views");
    c.trusted = false;
  }
  if (previous) {
    const struct {
      const char* name;
      Count TweetMetricsSnapshot::*field;
    } kCounters[] = {{"impressions", &TweetMetricsSnapshot::impressions},
                     {"likes", &TweetMetricsSnapshot::likes},
                     {"retweets", &TweetMetricsSnapshot::retweets},
                     {"replies", &TweetMetricsSnapshot::replies},
                     {"quotes", &TweetMetricsSnapshot::quotes},
                     {"bookmarks", &TweetMetricsSnapshot::bookmarks},
                     {"profile_clicks", &TweetMetricsSnapshot::profile_clicks}};
    for (const auto& k : kCounters) {
      const Count& before = (*previous).*(k.field);
      const Count& after = now.*(k.field);
      if (!before || !after || *after >= *before) continue;
      const long long allowed = std::max(
          kDecreaseSlack,
          static_cast<long long>(std::floor(kDecreaseFraction * static_cast<double>(*before))));
      if (*before - *after > allowed) {
        c.anomalies.push_back(std::string(k.name) + "_decreased");
        c.trusted = false;
      }
    }
  }
  return c;
}

}  // namespace gl::learn
