// X's length rule as x-sandbox enforces it on POST /2/tweets: twitter-text
// v3's weights (most Latin characters 1, the rest 2, an emoji sequence 2,
// every http(s) URL 23; at most 280). The sandbox plays X, so it counts on
// its own rather than with the client's counting it is meant to check; it
// does not normalise text, and where it is unsure it counts low, so it never
// refuses a post that X would take.
#pragma once

#include <string>

namespace gl::sandbox {

inline constexpr int kMaxPostWeight = 280;

int post_weight(const std::string& text);

}  // namespace gl::sandbox
