#include "import/merge.h"

#include <algorithm>

#include "learn/snapshot.h"

namespace gl::import {

namespace {

using learn::PostCounts;

// Two readings of the same moment: each counter's larger value.
void take_larger(PostCounts& into, const PostCounts& from) {
  for (const auto& [name, field] : learn::kCounterFields) {
    if (from.*field && (!(into.*field) || *(from.*field) > *(into.*field)))
      into.*field = from.*field;
  }
}

// True when every counter `reading` knows has that value in `stored`: a reading
// an earlier import already holds (perhaps joined with other exports' counters).
bool holds(const PostCounts& stored, const PostCounts& reading) {
  for (const auto& [name, field] : learn::kCounterFields) {
    if (reading.*field && stored.*field != reading.*field) return false;
  }
  return true;
}

}  // namespace

bool same_counts(const PostCounts& a, const PostCounts& b) {
  for (const auto& [name, field] : learn::kCounterFields) {
    if (a.*field != b.*field) return false;
  }
  return true;
}

MergedMetrics merge_observations(const StoredMetrics& stored,
                                 std::vector<Observation> observations) {
  std::sort(observations.begin(), observations.end(),
            [](const Observation& a, const Observation& b) { return a.as_of < b.as_of; });
  std::vector<Observation> groups;
  for (const auto& o : observations) {
    if (!groups.empty() && groups.back().as_of == o.as_of) {
      take_larger(groups.back().counts, o.counts);
      if (o.follows && (!groups.back().follows || *o.follows > *groups.back().follows))
        groups.back().follows = o.follows;
    } else {
      groups.push_back(o);
    }
  }
  MergedMetrics m;
  m.anomalies = stored.anomalies;
  std::optional<PostCounts> latest = stored.latest;
  std::optional<TimePoint> latest_at = stored.latest_at;
  std::optional<TimePoint> follows_at;
  if (stored.has_followers) follows_at = stored.latest_at;
  for (const auto& g : groups) {
    const bool known = std::any_of(stored.imported.begin(), stored.imported.end(),
                                   [&](const PostCounts& c) { return holds(c, g.counts); });
    if (known) continue;
    ImportedSnapshot s{g.as_of, g.counts, {}};
    if (!latest_at || g.as_of >= *latest_at) {
      PostCounts candidate = g.counts;
      if (latest) learn::fill_unknown(candidate, *latest);
      // Checked as read (an archive has likes and no views: newer likes beside a CSV's
      // older views would be a rate of two times, views_missing), as scrape-metrics does.
      const auto check = learn::check_snapshot(g.counts, latest, {});
      s.anomalies = check.anomalies;
      m.anomalies = check.anomalies;
      // Counter by counter: those that fell keep their stored values and the
      // others take the newer ones, unless the reading is wrong as a whole.
      const bool only_falls = check.anomalies.size() == check.fallen.size();
      for (const auto field : check.fallen) candidate.*field = (*latest).*field;
      if (only_falls && learn::check_snapshot(candidate, latest, {}).trusted) {
        latest = candidate;
        latest_at = g.as_of;
      } else if (!latest) {
        latest = PostCounts{};
        latest_at = g.as_of;
      }
    } else if (latest) {
      learn::fill_unknown(*latest, g.counts);  // an older reading of a counter the newer ones lack
    }
    if (g.follows && (!follows_at || g.as_of >= *follows_at)) {
      m.follows = g.follows;
      follows_at = g.as_of;
    }
    m.snapshots.push_back(std::move(s));
  }
  m.latest = latest.value_or(PostCounts{});
  m.latest_at = latest_at.value_or(groups.empty() ? TimePoint{} : groups.back().as_of);
  return m;
}

}  // namespace gl::import
