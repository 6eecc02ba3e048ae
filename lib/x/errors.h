// X API v2 error classes: what an HTTP status and an RFC 7807 problem body
// mean for us, and whether waiting or retrying can help.
#pragma once

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/http.h"

namespace gl::x {

enum class Problem {
  kNone,
  kRateLimited,      // 429: wait until the reset time
  kUsageCapped,      // 429 usage-capped: not worth retrying this period
  kCreditsDepleted,  // 402: buy credits
  kUnauthorized,     // 401
  kForbidden,        // 403 (client-forbidden, not enrolled, ...)
  kDuplicate,        // 403 duplicate content (POST)
  kReplyNotAllowed,  // 403 a reply to a post that neither mentions nor quotes the account (POST)
  kTooLong,          // 400 text too long (POST)
  kBadRequest,       // other 400
  kNotFound,         // 404
  kServer,           // 5xx
  kMalformed,        // a body that is not the JSON we expect
  kTransport,        // no HTTP answer (refused, TLS, ...)
  kTimeout,          // no answer in time
};

const char* problem_name(Problem p);

// The last path segment of a problem type URL, whatever its host:
// "https://api.x.com/2/problems/usage-capped" -> "usage-capped".
std::string problem_type_suffix(const std::string& type_url);

// True when a per-item problem type (the suffix, see problem_type_suffix) in
// a 200's errors[] says the item is gone for us: not found or deleted
// (resource-not-found), protected (not-authorized-for-resource), or its
// author suspended (resource-unavailable). Any other item error is transient.
bool is_definitive_absence(const std::string& problem_type);

struct Classified {
  Problem problem = Problem::kNone;
  std::string detail;                 // the API's own words, secrets never included
  std::optional<TimePoint> retry_at;  // from x-rate-limit-reset / 24-hour headers
};

// Classifies a non-2xx response (2xx gives kNone).
Classified classify_response(const HttpResponse& resp);

// True for the problems a bounded retry with backoff can cure.
bool is_retryable(Problem p);

// The error a tool exits with for a problem on an endpoint: 75 for what time
// cures (rate limits, outages), 1 for what needs a person, with what to check.
Error to_error(const std::string& endpoint, const Classified& c);

// An X API failure carried up to the tool, with its class.
class ApiError : public Error {
 public:
  ApiError(const std::string& endpoint, Classified c);
  const Classified& classified() const { return classified_; }
  Problem problem() const { return classified_.problem; }

 private:
  Classified classified_;
};

}  // namespace gl::x
