// What the X API gives us, as plain data. Tweet ids are strings end to end;
// a metric X did not report is nullopt, never 0.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "learn/post_counts.h"

namespace gl::x {

// A tweet as a lookup returned it: its counters (the one struct the learning
// reads) and what identifies it.
struct Tweet : learn::PostCounts {
  std::string id;
  std::string text;
  std::string author_id;
  std::string created_at;              // RFC 3339 as X sent it, or empty
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
  std::vector<Tweet> tweets;
  std::vector<TweetProblem> problems;
};

struct UserInfo {
  std::string id;
  std::string username;
  learn::Count followers, following, tweet_count, listed;
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

// x-sandbox's expected final metrics of a text posted at a time (POST
// /sandbox/score): expected values of its hidden truth, so fractional, not
// counts. Real X has nothing like it.
struct ExpectedMetrics {
  double impressions = 0, likes = 0, retweets = 0, replies = 0, quotes = 0, bookmarks = 0;
  double profile_clicks = 0, follows = 0;
};

}  // namespace gl::x
