// The X API v2 client: the endpoints growthloop uses, with retries for what
// time cures and classified errors for the rest.
#pragma once

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/http.h"
#include "core/log.h"
#include "x/auth.h"
#include "x/errors.h"
#include "x/types.h"

namespace gl::x {

inline constexpr size_t kMaxIdsPerLookup = 100;

struct XConfig {
  std::string base_url = "https://api.x.com";  // X_API_BASE_URL
  long timeout_ms = 30000;                     // X_HTTP_TIMEOUT_MS
  int max_retries = 3;                         // X_MAX_RETRIES
  long retry_base_ms = 500;                    // X_RETRY_BASE_MS (doubles, capped at 8 s, jittered)
  // The business clock, sent as X-Growthloop-Now so x-sandbox can simulate
  // time; real X ignores the header. Never used for OAuth timestamps.
  std::optional<TimePoint> business_now;
};

// Reads X_API_BASE_URL, X_HTTP_TIMEOUT_MS, X_MAX_RETRIES and X_RETRY_BASE_MS;
// a bad number is a usage error naming the variable.
XConfig x_config_from_env(const Clock& clock);

// True when the base URL is X itself (api.x.com, api.twitter.com), which has no
// /sandbox endpoints.
bool is_real_x(const std::string& base_url);

// Checks at a tool's start, whatever it will have to do, that the X settings
// and credentials in the environment (and the files their _FILE forms name)
// are complete and readable; posting needs user context. Throws a usage error.
void check_x_config_from_env(bool need_user_context);

class XClient {
 public:
  // Auth comes from the environment (see auth.h); a store keeps rotated
  // OAuth 2.0 tokens. Throws a usage error when no credentials are set.
  XClient(XConfig config, TokenStore store, const Log& log);

  const Auth& auth() const { return *auth_; }
  const std::string& base_url() const { return config_.base_url; }
  int requests() const { return requests_; }

  // GET /2/tweets?ids= (1-100 ids). private_metrics adds non_public and organic
  // metrics (user context, own posts younger than 30 days).
  LookupResult lookup_tweets(const std::vector<std::string>& ids, bool private_metrics);
  UserInfo me();
  UserInfo user(const std::string& user_id);
  // GET /2/users/:id/tweets, newest first.
  std::vector<TimelineTweet> user_tweets(const std::string& user_id,
                                         std::optional<TimePoint> start_time, int max_results);
  // POST /2/tweets. Never retried: an unanswered POST may have posted.
  PostedTweet post_tweet(const std::string& text, const std::optional<std::string>& reply_to);
  // POST /sandbox/score on x-sandbox only (the oracle policy of benchmarks),
  // with this account's credentials and business clock, so the sandbox scores
  // for the user who asks. X answers 404 (ApiError kNotFound).
  ExpectedMetrics sandbox_score(const std::string& text, TimePoint posted_at);

 private:
  // endpoint is "METHOD /2/path/:id" as X documents it: what errors and logs name.
  HttpResponse call(const std::string& endpoint, const std::string& path, const Params& query,
                    const std::string& body, bool retry);
  void backoff(int attempt);

  XConfig config_;
  HttpClient http_;
  std::unique_ptr<Auth> auth_;
  const Log& log_;
  std::mt19937_64 rng_;
  int requests_ = 0;
};

}  // namespace gl::x
