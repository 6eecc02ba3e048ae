#include "sandbox/search_query.h"

#include <algorithm>
#include <cctype>

namespace gl::sandbox {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Splits on spaces outside double quotes; a quoted phrase keeps its quotes off.
std::vector<std::string> tokens(const std::string& q) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false, was_quoted = false;
  for (char c : q) {
    if (c == '"') {
      quoted = !quoted;
      was_quoted = true;
      continue;
    }
    if (!quoted && (c == ' ' || c == '\t' || c == '\n')) {
      if (!cur.empty() || was_quoted) out.push_back(cur);
      cur.clear();
      was_quoted = false;
      continue;
    }
    cur += c;
  }
  if (quoted) throw QueryError("There were errors processing your request: unbalanced quotes");
  if (!cur.empty()) out.push_back(cur);
  return out;
}

long long count_value(const std::string& op, const std::string& v) {
  if (v.empty() || v.size() > 9 ||
      !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
    throw QueryError("There were errors processing your request: Invalid value for operator '" +
                     op + "' (" + v + ")");
  }
  return std::stoll(v);
}

bool is_id(const std::string& v) {
  return !v.empty() && v.size() <= 19 &&
         std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

SearchQuery parse_search_query(const std::string& query) {
  if (query.empty() || query.size() > 512) {
    throw QueryError("The `query` query parameter value must be between 1 and 512 characters");
  }
  SearchQuery q;
  bool any_standalone = false;
  for (std::string t : tokens(query)) {
    const bool negated = t.size() > 1 && t[0] == '-';
    if (negated) t = t.substr(1);
    const auto colon = t.find(':');
    if (colon == std::string::npos || colon == 0 || t.find(' ') != std::string::npos) {
      if (t.empty()) continue;
      (negated ? q.excluded_terms : q.terms).push_back(lower(t));
      if (!negated) any_standalone = true;
      continue;
    }
    const std::string op = lower(t.substr(0, colon));
    const std::string v = t.substr(colon + 1);
    if (op == "is") {
      if (v == "reply") {
        q.is_reply = !negated;
      } else if (v == "retweet") {
        q.is_retweet = !negated;
      } else {
        throw QueryError(
            "There were errors processing your request: Reference to invalid "
            "operator 'is:" +
            v + "'");
      }
    } else if (op == "lang" && !negated) {
      q.lang = lower(v);
    } else if (op == "conversation_id" && !negated && is_id(v)) {
      q.conversation_id = v;
      any_standalone = true;
    } else if (op == "in_reply_to_tweet_id" && !negated && is_id(v)) {
      q.in_reply_to = v;
      any_standalone = true;
    } else if (op == "from" && !negated) {
      q.from = lower(v[0] == '@' ? v.substr(1) : v);
      any_standalone = true;
    } else if (op == "min_likes" && !negated) {
      q.min_likes = count_value(op, v);
    } else if (op == "min_replies" && !negated) {
      q.min_replies = count_value(op, v);
    } else if (op == "min_reposts" || op == "min_retweets") {
      q.min_reposts = count_value(op, v);
    } else {
      // min_faves: among them: the web's operator, not the API's.
      throw QueryError(
          "There were errors processing your request: Reference to invalid operator '" + op +
          "'. Operator is not available in current product or product packaging. "
          "Please refer to complete available operator list at "
          "https://developer.x.com/en/docs/twitter-api/tweets/search/integrate/"
          "build-a-query#list.");
    }
  }
  if (!any_standalone) {
    throw QueryError(
        "There were errors processing your request: Rules must contain a non-negation "
        "term (at position 1)");
  }
  return q;
}

bool matches(const SearchQuery& q, const PostFacts& p) {
  const std::string text = lower(p.text);
  for (const auto& t : q.terms) {
    if (text.find(t) == std::string::npos) return false;
  }
  for (const auto& t : q.excluded_terms) {
    if (text.find(t) != std::string::npos) return false;
  }
  if (q.lang && *q.lang != p.lang) return false;
  if (q.is_reply && *q.is_reply != p.is_reply) return false;
  if (q.is_retweet && *q.is_retweet != p.is_retweet) return false;
  if (q.conversation_id && *q.conversation_id != p.conversation_id) return false;
  if (q.in_reply_to && *q.in_reply_to != p.in_reply_to) return false;
  if (q.from && *q.from != lower(p.author_username)) return false;
  return p.likes >= q.min_likes && p.replies >= q.min_replies && p.reposts >= q.min_reposts;
}

}  // namespace gl::sandbox
