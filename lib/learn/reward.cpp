#include "learn/reward.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gl::learn {

double post_reward(const PostMetrics& m, const RewardWeights& w) {
  const auto c = [](const std::optional<long long>& v) { return static_cast<double>(v.value_or(0)); };
  const double score = w.like * c(m.likes) + w.retweet * c(m.retweets) + w.reply * c(m.replies) +
                       w.quote * c(m.quotes) + w.bookmark * c(m.bookmarks) +
                       w.profile_click * c(m.profile_clicks) + w.follower * m.followers_gained.value_or(0);
  return std::log1p(std::max(0.0, score));
}

std::string reward_sql(const std::string& a, const RewardWeights& w) {
  return fmt::format(
      "ln(1 + greatest(0, {1} * coalesce({0}.likes, 0) + {2} * coalesce({0}.retweets, 0) + "
      "{3} * coalesce({0}.replies, 0) + {4} * coalesce({0}.quotes, 0) + "
      "{5} * coalesce({0}.bookmarks, 0) + {6} * coalesce({0}.profile_clicks, 0) + "
      "{7} * coalesce({0}.followers_gained, 0)))",
      a, w.like, w.retweet, w.reply, w.quote, w.bookmark, w.profile_click, w.follower);
}

}  // namespace gl::learn
