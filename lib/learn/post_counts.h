// The counters of a post as X reports them: the one struct lib/x parses
// into, scrape-metrics checks and stores, and the learning rules read.
#pragma once

#include <optional>

namespace gl::learn {

// A counter X did not report is unknown (nullopt), never 0.
using Count = std::optional<long long>;

struct PostCounts {
  Count impressions, likes, retweets, replies, quotes, bookmarks;
  Count profile_clicks, url_clicks;  // private: user context, own posts younger than 30 days
};

}  // namespace gl::learn
