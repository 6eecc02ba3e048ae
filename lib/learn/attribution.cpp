#include "learn/attribution.h"

#include <algorithm>
#include <cmath>

namespace gl::learn {

double interpolate(const std::vector<Observation>& obs, TimePoint posted_at, TimePoint t) {
  if (t <= posted_at) return 0;
  TimePoint prev_at = posted_at;
  double prev_value = 0;
  for (const auto& o : obs) {  // sorted by time
    if (o.at <= prev_at) {
      prev_value = std::max(prev_value, o.value);
      continue;
    }
    if (t <= o.at) {
      const double span = std::chrono::duration<double>(o.at - prev_at).count();
      const double part = std::chrono::duration<double>(t - prev_at).count();
      return prev_value + (o.value - prev_value) * (span > 0 ? part / span : 1.0);
    }
    prev_at = o.at;
    prev_value = o.value;
  }
  return prev_value;
}

std::vector<AttributionShare> attribute_followers(long long delta,
                                                  const std::vector<WindowActivity>& posts) {
  std::vector<AttributionShare> out;
  if (posts.empty()) return out;
  const auto total = [&](std::optional<double> WindowActivity::*field, bool& complete) {
    double sum = 0;
    complete = true;
    for (const auto& p : posts) {
      const auto& v = p.*field;
      if (!v) {
        complete = false;
      } else {
        sum += std::max(0.0, *v);
      }
    }
    return sum;
  };
  bool clicks_complete, impressions_complete;
  const double clicks = total(&WindowActivity::new_profile_clicks, clicks_complete);
  const double impressions = total(&WindowActivity::new_impressions, impressions_complete);
  std::string basis = "even";
  double basis_confidence = 0.4;
  if (clicks_complete && clicks > 0) {
    basis = "profile_clicks";
    basis_confidence = 0.9;
  } else if (impressions_complete && impressions > 0) {
    basis = "impressions";
    basis_confidence = 0.7;
  }
  const double n = static_cast<double>(posts.size());
  for (const auto& p : posts) {
    AttributionShare s;
    s.key = p.key;
    s.basis = basis;
    if (basis == "profile_clicks") {
      s.share = std::max(0.0, *p.new_profile_clicks) / clicks;
    } else if (basis == "impressions") {
      s.share = std::max(0.0, *p.new_impressions) / impressions;
    } else {
      s.share = 1.0 / n;
    }
    s.followers_gained = static_cast<double>(delta) * s.share;
    s.confidence = basis_confidence / std::sqrt(n);
    out.push_back(s);
  }
  return out;
}

}  // namespace gl::learn
