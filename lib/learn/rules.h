// The rules of the learning, written once: which posts are learned from (the
// seed's gates), which are successful, the engagement rate and its NULL rule,
// and the reward every learner optimises. lib/jobs/learning_sql writes the
// same rules in SQL from these constants; tests/db/rules_test checks that the
// two forms agree row by row, NULLs included.
//
// The reward favours follower growth and high-intent actions as well as
// reach, with X's open-sourced ranking weights as the starting point (reply
// 27, profile click 12, retweet 1, like 0.5). A small account's post gets a
// handful of replies and follows, so raw counts are mostly noise (one reply
// more is +27). Each action's rate per impression is therefore smoothed
// toward the account's own rate with a pseudo-count of impressions
// (empirical Bayes): only differences backed by enough views move the reward.
// On a log scale, so one viral post does not drown the rest:
//
//   rate_a  = (count_a + kPseudoImpressions * account_rate_a) / (impressions + kPseudoImpressions)
//             (account_rate_a itself where count_a is unknown)
//   reward  = ln(1 + impressions * sum_a weight_a * rate_a)
#pragma once

#include <array>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "learn/post_counts.h"

namespace gl::learn {

// The seed's learning gates: a post is learned from when it is available,
// has views >= 100 and likes >= 5, and is at least 2 h old.
struct LearningGates {
  long long min_views = 100;
  long long min_likes = 5;
  double min_age_hours = 2.0;
};
inline constexpr LearningGates kGates{};

// The seed's success rule, among gated posts: engagement rate >= 2% or views >= 5,000.
struct SuccessRule {
  double min_engagement_rate = 0.02;
  long long min_views = 5000;
};
inline constexpr SuccessRule kSuccess{};

// Why a post is not learned from, in the order the checks run: a report
// counts each skipped post under its first failure.
enum class GateFailure { kUnavailable, kViewsUnknown, kViewsLow, kLikesUnknown, kLikesLow, kYoung };
inline constexpr GateFailure kGateFailures[] = {
    GateFailure::kUnavailable,  GateFailure::kViewsUnknown, GateFailure::kViewsLow,
    GateFailure::kLikesUnknown, GateFailure::kLikesLow,     GateFailure::kYoung};

// "unavailable", "views_unknown", "views_below_100", "likes_unknown", "likes_below_5",
// "age_below_2h".
std::string gate_failure_name(GateFailure f);

struct GateResult {
  bool passed = false;
  bool successful = false;
  std::vector<std::string> failures;  // gate_failure_name of each failed check, in order
};

GateResult evaluate_gates(const PostCounts& c, double age_hours, bool available = true);

// The success thresholds alone (outside posts have no gates of ours).
bool meets_success(const PostCounts& c);

// Likes + retweets + replies + quotes + bookmarks, counting what X reported.
long long engagements(const PostCounts& c);

// engagements / impressions. Unknown (nullopt) when impressions, likes,
// retweets or replies are unknown or impressions is 0; quotes and bookmarks
// count when X reports them.
std::optional<double> engagement_rate(const PostCounts& c);

// What the reward reads of a post: its counters and the followers attributed to it.
struct PostOutcome : PostCounts {
  std::optional<double> followers_gained;
};

// The actions the reward counts and their weights. `name` is the column of
// learning_posts holding the action's count, and its key in rules_json().
struct RewardAction {
  const char* name;
  double weight;
};
inline constexpr RewardAction kRewardActions[] = {
    {"likes", 0.5},     {"retweets", 1.0},        {"replies", 27.0},         {"quotes", 1.0},
    {"bookmarks", 1.0}, {"profile_clicks", 12.0}, {"followers_gained", 50.0}};
inline constexpr size_t kRewardActionCount = std::size(kRewardActions);

inline constexpr double kPseudoImpressions = 2000;

// Per action, in kRewardActions' order.
using ActionValues = std::array<double, kRewardActionCount>;

// A post's count of each action, nullopt where unknown; a negative one (followers lost) is 0.
using ActionCounts = std::array<std::optional<double>, kRewardActionCount>;
ActionCounts action_counts(const PostOutcome& p);

// The account's rate per impression of each action over its gated posts (the
// smoothing target): the counts known, summed, over the impressions of the
// posts that know them; 0 without any.
ActionValues account_rates(const std::vector<PostOutcome>& posts);

// The reward above. An action whose count is unknown (X gave no replies for an
// imported post) is taken at the account's rate: unknown is not evidence of none.
double post_reward(const PostOutcome& p, const ActionValues& account_rates);

// The rules as data, for tools and scripts that must not repeat them
// (learn-hourly --print-rules).
nlohmann::json rules_json();

}  // namespace gl::learn
