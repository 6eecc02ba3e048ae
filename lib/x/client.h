// The X API v2 client: the endpoints growthloop uses, with retries for what
// time cures and classified errors for the rest.
#pragma once

#include <functional>
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

// What X bills (pay-per-use, mid-2026): kinds of resource, each charged once
// per UTC day; trends and creates are charged per request (an empty id).
inline constexpr const char* kPostRead = "post_read";
inline constexpr const char* kUserRead = "user_read";
inline constexpr const char* kOwnedRead = "owned_read";
inline constexpr const char* kTrendsRequest = "trends_request";
inline constexpr const char* kPostCreate = "post_create";
inline constexpr const char* kPostCreateUrl = "post_create_url";

// One call to X as the bill sees it: the resources it returned, by kind and id.
struct ApiCall {
  std::string endpoint;                                        // "GET /2/tweets/search/recent"
  std::vector<std::pair<std::string, std::string>> resources;  // (kind, id)
  int attempts = 1;                                            // HTTP requests, retries included
  std::string problem;                                         // "" when it succeeded
};
using UsageSink = std::function<void(const ApiCall&)>;

// Recent search (GET /2/tweets/search/recent); see x-api.md for the operators.
struct SearchRequest {
  std::string query;
  int max_results = 10;       // 10-100
  std::string since_id;       // only posts newer than this id
  std::string next_token;     // the page after the one that gave it
  bool by_relevancy = false;  // sort_order=relevancy (else recency)
  bool with_authors = true;   // expansions=author_id, user.fields=public_metrics
};

struct TimelineRequest {
  std::string user_id;
  int max_results = 100;  // 5-100
  std::string since_id;
  std::optional<TimePoint> start_time;
  std::string pagination_token;
  bool originals_only = true;  // exclude=retweets,replies
  // The account's own posts younger than 30 days: with their private metrics
  // (user context; X refuses them for anyone else's or older posts).
  bool private_metrics = false;
};

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
  // GET /2/users/by/username/:username; nothing when X knows no such user.
  std::optional<UserInfo> user_by_username(const std::string& username);
  // Recent search, one page, with public metrics.
  PostPage search_recent(const SearchRequest& r);
  // A user's posts with public metrics, one page, newest first.
  PostPage user_posts(const TimelineRequest& r);
  // GET /2/trends/by/woeid/:woeid (up to 50).
  std::vector<Trend> trends(long long woeid, int max_trends);
  // GET /2/users/personalized_trends (user context). X answers a user who is
  // not Premium with one "Unknown" trend: the caller decides what is real.
  std::vector<Trend> personalized_trends();
  // POST /2/tweets. Never retried: an unanswered POST may have posted.
  PostedTweet post_tweet(const std::string& text, const std::optional<std::string>& reply_to);
  // A post X created though its answer was lost (publish's reconcile found it
  // on the timeline): billed to the usage sink as post_tweet bills, with no
  // request of its own (the lost one was recorded, as failed, when it was made).
  void record_found_post(const std::string& text);
  // POST /sandbox/score on x-sandbox only (the oracle policy of benchmarks),
  // with this account's credentials and business clock, so the sandbox scores
  // for the user who asks. X answers 404 (ApiError kNotFound).
  ExpectedMetrics sandbox_score(const std::string& text, TimePoint posted_at);

  // Every call to X from now on is reported to sink, failed ones included.
  void set_usage_sink(UsageSink sink) { usage_sink_ = std::move(sink); }
  // The authenticated user's id: reading its own timeline is an owned read.
  void set_own_user_id(std::string id) { own_user_id_ = std::move(id); }

 private:
  // Bills `resources` to the usage sink, with the last call's attempts unless
  // `attempts` says how many requests it took.
  void record(const std::string& endpoint,
              std::vector<std::pair<std::string, std::string>> resources,
              std::optional<int> attempts = std::nullopt);
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
  int attempts_ = 0;  // of the last call
  UsageSink usage_sink_;
  std::string own_user_id_;
};

}  // namespace gl::x
