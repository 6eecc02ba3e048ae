// The reward every learner optimises, per post. It favours follower growth and
// high-intent actions as well as reach, with X's open-sourced ranking weights
// as the starting point (reply 27, profile click 12, retweet 1, like 0.5).
//
// A small account's post gets a handful of replies and follows, so raw counts
// are mostly noise (one reply more is +27). Each action's rate per impression
// is therefore smoothed toward the account's own rate with a pseudo-count of
// impressions (empirical Bayes): only differences backed by enough views move
// the reward. On a log scale, so one viral post does not drown the rest:
//
//   rate_a  = (count_a + kPseudoImpressions * account_rate_a) / (impressions + kPseudoImpressions)
//   reward  = ln(1 + impressions * sum_a weight_a * rate_a)
#pragma once

#include <optional>
#include <string>

namespace gl::learn {

struct RewardWeights {
  double like = 0.5;
  double retweet = 1.0;
  double reply = 27.0;
  double quote = 1.0;
  double bookmark = 1.0;
  double profile_click = 12.0;
  double follower = 50.0;
};

inline constexpr double kPseudoImpressions = 2000;

struct PostMetrics {
  std::optional<long long> impressions, likes, retweets, replies, quotes, bookmarks, profile_clicks;
  std::optional<double> followers_gained;
};

// The account's rates per impression (the smoothing target).
struct AccountRates {
  double like = 0, retweet = 0, reply = 0, quote = 0, bookmark = 0, profile_click = 0, follower = 0;
};

double post_reward(const PostMetrics& m, const AccountRates& rates, const RewardWeights& w = {});

// The same expression in SQL over learning_posts columns (alias), reading the
// account's rates from a relation named `prior` (see prior_rates_sql).
std::string reward_sql(const std::string& alias, const RewardWeights& w = {});

// "prior AS (SELECT ...)": the account's rates over the gated posts of format
// $3 at $2 for account $1, for a WITH clause. gated is the gate predicate on lp.
std::string prior_rates_sql(const std::string& gated);

}  // namespace gl::learn
