// The checks a draft passes before it is queued: real text, X's length rule,
// and not a near-duplicate of the account's recent posts.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gl::plan {

inline constexpr double kDuplicateSimilarity = 0.9;

struct RecentPost {
  std::string text;
  std::vector<float> embedding;
};

// Why a draft cannot be queued, or nothing when it can: not UTF-8, empty,
// control characters, placeholder or refusal text, too few letters, an
// @mention, a hashtag other than the topic's own (the topic as a tag, or one in it),
// over X's length, or a near-duplicate of a recent post.
std::optional<std::string> check_draft(const std::string& text, const std::string& topic,
                                       const std::vector<RecentPost>& recent);

// Takes out what an LLM wraps around a post: a reasoning model's <think>
// block, an introducing line ("Here's a post about sleep:") before a blank
// line, quotes, "Tweet:"-style labels and whitespace.
std::string clean_llm_text(std::string text);

}  // namespace gl::plan
