// The reward every learner optimises, per post. It favours follower growth and
// high-intent actions as well as reach, with X's open-sourced ranking weights
// as the starting point (reply 27, profile click 12, retweet 1, like 0.5),
// on a log scale so one viral post does not drown the rest.
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

struct PostMetrics {
  std::optional<long long> impressions, likes, retweets, replies, quotes, bookmarks, profile_clicks;
  std::optional<double> followers_gained;
};

// ln(1 + 0.5 likes + retweets + 27 replies + quotes + bookmarks + 12 profile clicks
//        + 50 followers gained); unknown counts count as 0, a negative sum as 0.
double post_reward(const PostMetrics& m, const RewardWeights& w = {});

// The same expression in SQL over learning_posts columns (lp.*), so set-based
// learners compute exactly what post_reward computes.
std::string reward_sql(const std::string& alias, const RewardWeights& w = {});

}  // namespace gl::learn
