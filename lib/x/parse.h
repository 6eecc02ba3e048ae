// Parsing X API v2 response bodies. Every metric key is optional; a body that
// is not the JSON we expect throws MalformedBody naming what was wrong.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "x/types.h"

namespace gl::x {

struct MalformedBody : std::runtime_error {
  using std::runtime_error::runtime_error;
};

LookupResult parse_tweet_lookup(const std::string& body);
UserInfo parse_user(const std::string& body);
std::vector<TimelineTweet> parse_timeline(const std::string& body);
PostedTweet parse_post(const std::string& body);
// Recent search and timelines with public_metrics: the posts, includes.users, meta.
PostPage parse_post_page(const std::string& body);
// GET /2/trends/by/woeid/:woeid and GET /2/users/personalized_trends.
std::vector<Trend> parse_trends(const std::string& body);
// "2K posts", "1.2M posts", "845 posts" -> a count; anything else is unknown.
std::optional<long long> parse_post_count_text(const std::string& text);
ExpectedMetrics parse_sandbox_score(const std::string& body);

}  // namespace gl::x
