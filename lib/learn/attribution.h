// Follower attribution: a change in the account's followers between two
// snapshots is split across the posts live in that window, by their new
// profile clicks in the window, else their new impressions, else evenly; the
// confidence falls as more posts share the window. Never the whole change
// copied onto every post.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace gl::learn {

// A cumulative counter observed at a time.
struct Observation {
  TimePoint at;
  double value;
};

// A counter's value at t: linear between observations, 0 at posted_at, flat
// after the last observation.
double interpolate(const std::vector<Observation>& obs, TimePoint posted_at, TimePoint t);

struct WindowActivity {
  std::string key;  // the post's tweet id
  std::optional<double> new_profile_clicks;
  std::optional<double> new_impressions;
};

struct AttributionShare {
  std::string key;
  std::string basis;  // profile_clicks, impressions, even
  double share = 0;
  double followers_gained = 0;
  double confidence = 0;
};

std::vector<AttributionShare> attribute_followers(long long delta,
                                                  const std::vector<WindowActivity>& posts);

}  // namespace gl::learn
