// Scriptable fault injection for x-sandbox: per endpoint, a kind of failure,
// how many matching requests to let through first, and how many to break.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gl::sandbox {

enum class FaultKind {
  kRateLimit,     // 429 with x-rate-limit-reset
  kUsageCap,      // 429 UsageCapExceeded
  kCredits,       // 402 CreditsDepleted
  kUnauthorized,  // 401
  kForbidden,     // 403 client-forbidden
  kServerError,   // 500 (or "status")
  kSlow,          // wait delay_ms, then answer
  kTimeout,       // do the work, then wait delay_ms before answering
  kTruncated,     // the real body cut in half
  kMalformed,     // 200 with an HTML body
  kPartial,       // lookups: some found ids reported in errors[] instead
  kDuplicate,     // POST /2/tweets: 403 duplicate content
  kLlmText,       // POST /v1/chat/completions: answers `text` as the assistant
  kMissingField,  // the real body with `field` left out of every post's metrics
  kStuckPage,     // the real page with meta.next_token "stuck": paging that never ends
};

struct FaultRule {
  std::string endpoint;  // "GET /2/tweets", "POST /2/tweets", "GET /2/users/me", "*", ...
  FaultKind kind;
  int skip = 0;           // matching requests let through before the fault starts
  int times = -1;         // how many requests it breaks; -1 = all
  int status = 0;         // for server_error (default 500)
  long delay_ms = 0;      // slow / timeout
  long reset_in_s = 60;   // rate_limit
  double fraction = 0.5;  // partial: share of found ids moved to errors
  std::string problem = "resource-not-found";  // partial: the errors' problem type
  std::string text;                            // llm_text: the answer
  std::string field;                           // missing_field: e.g. "impression_count"
  int seen = 0;                                // matching requests so far
};

// Parses {"rules": [...]} (or a bare array). Throws gl::Error naming the rule.
std::vector<FaultRule> parse_faults(const nlohmann::json& j, const std::string& source);

class FaultPlan {
 public:
  void replace(std::vector<FaultRule> rules);
  // The fault to apply to this request, if any (counts the request).
  std::optional<FaultRule> take(const std::string& endpoint);

 private:
  std::mutex mutex_;
  std::vector<FaultRule> rules_;
};

}  // namespace gl::sandbox
