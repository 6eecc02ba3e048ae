#include "learn/reward.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gl::learn {

double post_reward(const PostMetrics& m, const AccountRates& r, const RewardWeights& w) {
  const double imp = static_cast<double>(std::max(0LL, m.impressions.value_or(0)));
  const double k = kPseudoImpressions;
  const auto rate = [&](double count, double prior) {
    return (std::max(0.0, count) + k * prior) / (imp + k);
  };
  const auto c = [](const std::optional<long long>& v) {
    return static_cast<double>(v.value_or(0));
  };
  const double per_impression =
      w.like * rate(c(m.likes), r.like) + w.retweet * rate(c(m.retweets), r.retweet) +
      w.reply * rate(c(m.replies), r.reply) + w.quote * rate(c(m.quotes), r.quote) +
      w.bookmark * rate(c(m.bookmarks), r.bookmark) +
      w.profile_click * rate(c(m.profile_clicks), r.profile_click) +
      w.follower * rate(m.followers_gained.value_or(0), r.follower);
  return std::log1p(imp * per_impression);
}

std::string reward_sql(const std::string& a, const RewardWeights& w) {
  const auto term = [&](double weight, const std::string& column, const std::string& prior) {
    return fmt::format("{0} * (greatest(coalesce({1}.{2}, 0), 0) + {3} * prior.{4})", weight, a,
                       column, kPseudoImpressions, prior);
  };
  return fmt::format(
      "ln(1 + greatest(coalesce({0}.impressions, 0), 0)::float8 / "
      "(greatest(coalesce({0}.impressions, 0), 0) + {1}) * "
      "({2} + {3} + {4} + {5} + {6} + {7} + {8}))",
      a, kPseudoImpressions, term(w.like, "likes", "likes"),
      term(w.retweet, "retweets", "retweets"), term(w.reply, "replies", "replies"),
      term(w.quote, "quotes", "quotes"), term(w.bookmark, "bookmarks", "bookmarks"),
      term(w.profile_click, "profile_clicks", "profile_clicks"),
      term(w.follower, "followers_gained", "followers_gained"));
}

std::string prior_rates_sql(const std::string& gated) {
  const auto rate = [](const char* c) {
    return fmt::format(
        "coalesce(sum(greatest(coalesce(lp.{0}, 0), 0))::float8 / nullif(sum(lp.impressions), 0), "
        "0) AS {0}",
        c);
  };
  return fmt::format(
      "prior AS (SELECT {}, {}, {}, {}, {}, {}, {} FROM learning_posts lp "
      "WHERE lp.account_id = $1 AND lp.format = $3 AND {})",
      rate("likes"), rate("retweets"), rate("replies"), rate("quotes"), rate("bookmarks"),
      rate("profile_clicks"), rate("followers_gained"), gated);
}

}  // namespace gl::learn
