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
  std::string created_at;       // RFC 3339 as X sent it, or empty
  std::string conversation_id;  // the root of its reply chain, when X sent it
  std::string replied_to;       // the post it replies to, or empty
  std::string lang;
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

// One page of posts (recent search, a user's timeline), with the authors X
// expanded and the cursor to the next page ("" = the last page).
struct PostPage {
  std::vector<Tweet> tweets;
  std::vector<UserInfo> users;
  std::string newest_id;
  std::string next_token;
};

// A trend of a place or of the user (personalized). post_count is unknown when
// X did not say ("Unknown", or no count given).
struct Trend {
  std::string name;
  std::optional<long long> post_count;
  std::string category;
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
