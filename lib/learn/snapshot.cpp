#include "learn/snapshot.h"

#include <algorithm>
#include <cmath>

#include "learn/rules.h"

namespace gl::learn {

SnapshotCheck check_snapshot(const PostCounts& now, const std::optional<PostCounts>& previous,
                             const std::vector<std::string>& parse_anomalies) {
  SnapshotCheck c;
  for (const auto& a : parse_anomalies) {
    c.anomalies.push_back(a);
    c.trusted = false;
  }
  // A reading without views of a post whose views were known would be stored
  // with the old views beside its newer engagement: a rate of two times,
  // inflated for good. It waits for a reading that has both.
  if (!now.impressions && previous && previous->impressions) {
    c.anomalies.push_back("views_missing");
    c.trusted = false;
  }
  // Checked on what would be stored: this reading with the counters it lacks
  // filled from the previous values (fill_unknown).
  PostCounts stored = now;
  if (previous) fill_unknown(stored, *previous);
  if (stored.impressions && engagements(stored) > *stored.impressions) {
    c.anomalies.push_back("engagement_exceeds_views");
    c.trusted = false;
  }
  if (previous) {
    for (const auto& k : kCounterFields) {
      const Count& before = (*previous).*(k.field);
      const Count& after = now.*(k.field);
      if (!before || !after || *after >= *before) continue;
      const long long allowed = std::max(
          kDecreaseSlack,
          static_cast<long long>(std::floor(kDecreaseFraction * static_cast<double>(*before))));
      if (*before - *after > allowed) {
        c.anomalies.push_back(std::string(k.name) + "_decreased");
        c.fallen.push_back(k.field);
        c.trusted = false;
      }
    }
  }
  return c;
}

}  // namespace gl::learn
