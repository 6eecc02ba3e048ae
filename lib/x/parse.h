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
ExpectedMetrics parse_sandbox_score(const std::string& body);

}  // namespace gl::x
