// x-sandbox's reading of a recent-search query: the subset of X's operators
// growthloop's harvest uses, and X's 400 for what X rejects (min_faves:, an
// unknown operator). Pure: no I/O.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gl::sandbox {

struct QueryError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SearchQuery {
  std::vector<std::string> terms;  // lower-case words and "quoted phrases", all required
  std::vector<std::string> excluded_terms;
  std::optional<std::string> lang;
  std::optional<bool> is_reply, is_retweet;
  std::optional<std::string> conversation_id, in_reply_to, from;
  long long min_likes = 0, min_replies = 0, min_reposts = 0;
};

// Throws QueryError with X's words for a query X would answer with a 400.
SearchQuery parse_search_query(const std::string& query);

// What a query asks of one post, apart from the text.
struct PostFacts {
  std::string text;
  std::string lang = "en";
  bool is_reply = false;
  bool is_retweet = false;
  std::string conversation_id, in_reply_to, author_username;
  long long likes = 0, replies = 0, reposts = 0;
};

bool matches(const SearchQuery& q, const PostFacts& post);

}  // namespace gl::sandbox
