// The seed's learning gates and its "successful" classification, and the
// engagement-rate formula every tool shares.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gl::learn {

struct LearningGates {
  long long min_views = 100;
  long long min_likes = 5;
  double min_age_hours = 2.0;
  double success_engagement_rate = 0.02;
  long long success_views = 5000;
};

struct GateResult {
  bool passed = false;
  bool successful = false;
  std::vector<std::string>
      failures;  // "views_unknown", "views_below_100", "likes_below_5", "age_below_2h"
};

GateResult evaluate_gates(std::optional<long long> views, std::optional<long long> likes,
                          std::optional<double> engagement_rate, double age_hours,
                          const LearningGates& gates = {});

// Engagement rate = (likes + retweets + replies + quotes + bookmarks) / impressions.
// Unknown (nullopt) when impressions, likes, retweets or replies are unknown or
// impressions is 0; quotes and bookmarks count when X reports them.
std::optional<double> engagement_rate(std::optional<long long> impressions,
                                      std::optional<long long> likes,
                                      std::optional<long long> retweets,
                                      std::optional<long long> replies,
                                      std::optional<long long> quotes,
                                      std::optional<long long> bookmarks);

}  // namespace gl::learn
