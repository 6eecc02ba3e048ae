#include "learn/gates.h"

namespace gl::learn {

GateResult evaluate_gates(std::optional<long long> views, std::optional<long long> likes,
                          std::optional<double> er, double age_hours, const LearningGates& g) {
  GateResult r;
  if (!views) {
    r.failures.push_back("views_unknown");
  } else if (*views < g.min_views) {
    r.failures.push_back("views_below_" + std::to_string(g.min_views));
  }
  if (!likes) {
    r.failures.push_back("likes_unknown");
  } else if (*likes < g.min_likes) {
    r.failures.push_back("likes_below_" + std::to_string(g.min_likes));
  }
  if (age_hours < g.min_age_hours) r.failures.push_back("age_below_2h");
  r.passed = r.failures.empty();
  r.successful = r.passed &&
                 ((er && *er >= g.success_engagement_rate) || (views && *views >= g.success_views));
  return r;
}

std::optional<double> engagement_rate(std::optional<long long> impressions,
                                      std::optional<long long> likes,
                                      std::optional<long long> retweets,
                                      std::optional<long long> replies,
                                      std::optional<long long> quotes,
                                      std::optional<long long> bookmarks) {
  if (!impressions || *impressions <= 0 || !likes || !retweets || !replies) return std::nullopt;
  const long long engagements =
      *likes + *retweets + *replies + quotes.value_or(0) + bookmarks.value_or(0);
  return static_cast<double>(engagements) / static_cast<double>(*impressions);
}

}  // namespace gl::learn
