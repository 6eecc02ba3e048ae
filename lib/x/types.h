// What the X API gives us, as plain data. Tweet ids are strings end to end;
// a metric X did not report is nullopt, never 0.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gl::x {

using Count = std::optional<long long>;

struct TweetMetrics {
  std::string id;
  std::string text;
  std::string author_id;
  std::string created_at;  // RFC 3339 as X sent it, or empty
  Count impressions, likes, retweets, replies, quotes, bookmarks;
  Count profile_clicks, url_clicks;    // user context, own posts younger than 30 days
  bool private_metrics = false;        // non_public/organic metrics were present
  std::vector<std::string> anomalies;  // problems found while parsing (e.g. a negative count)
};

// A tweet X reported in errors[] instead of data[] (deleted, protected, not found).
struct TweetProblem {
  std::string id;
  std::string type;  // last segment of the problem type, e.g. "resource-not-found"
  std::string detail;
};

struct LookupResult {
  std::vector<TweetMetrics> tweets;
  std::vector<TweetProblem> problems;
};

struct UserInfo {
  std::string id;
  std::string username;
  Count followers, following, tweet_count, listed;
};

struct TimelineTweet {
  std::string id;
  std::string text;
  std::string created_at;
};

struct PostedTweet {
  std::string id;
  std::string text;
};

}  // namespace gl::x
