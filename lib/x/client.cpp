#include "x/client.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "core/http.h"
#include "core/secrets.h"
#include "x/parse.h"
#include "x/tweet_text.h"

namespace gl::x {

namespace {

constexpr const char* kTweetFields = "created_at,author_id,conversation_id,public_metrics";
// Outside posts: also their language and what they reply to.
constexpr const char* kOutsideFields =
    "created_at,author_id,conversation_id,public_metrics,lang,referenced_tweets";
constexpr const char* kPrivateTweetFields =
    "created_at,author_id,conversation_id,public_metrics,non_public_metrics,organic_metrics";

template <typename T, typename F>
T parse_or_throw(const std::string& endpoint, const std::string& body, F parse) {
  try {
    return parse(body);
  } catch (const MalformedBody& e) {
    Classified c;
    c.problem = Problem::kMalformed;
    c.detail = e.what();
    throw ApiError(endpoint, c);
  }
}

}  // namespace

XConfig x_config_from_env(const Clock& clock) {
  XConfig c;
  if (auto base = env_setting("X_API_BASE_URL")) c.base_url = *base;
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  require_http_url("X_API_BASE_URL", c.base_url);
  c.timeout_ms = env_whole("X_HTTP_TIMEOUT_MS", c.timeout_ms, 1, 600000);
  c.max_retries = static_cast<int>(env_whole("X_MAX_RETRIES", c.max_retries, 0, 10));
  c.retry_base_ms = env_whole("X_RETRY_BASE_MS", c.retry_base_ms, 0, 60000);
  if (clock.fixed()) c.business_now = clock.now();
  return c;
}

bool is_real_x(const std::string& base_url) {
  const auto scheme = base_url.find("://");
  std::string host = base_url.substr(scheme == std::string::npos ? 0 : scheme + 3);
  host = host.substr(0, host.find_first_of(":/"));
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* x : {"api.x.com", "api.twitter.com", "x.com", "twitter.com"}) {
    if (host == x) return true;
  }
  return false;
}

namespace {

Error no_credentials() {
  return usage_error("X credentials",
                     "none set: set X_BEARER_TOKEN (read only), or the four OAuth 1.0a variables "
                     "X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET, or "
                     "X_OAUTH2_CLIENT_ID and X_OAUTH2_REFRESH_TOKEN (each also as NAME_FILE)");
}

}  // namespace

void check_x_config_from_env(bool need_user_context) {
  x_config_from_env(Clock());
  // Every secret that is set must be readable, whether or not this auth kind uses it.
  for (const char* name : {"X_BEARER_TOKEN", "X_CONSUMER_KEY", "X_CONSUMER_SECRET",
                           "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET", "X_OAUTH2_CLIENT_ID",
                           "X_OAUTH2_CLIENT_SECRET", "X_OAUTH2_REFRESH_TOKEN"}) {
    env_secret(name);
  }
  HttpClient unused;
  const auto auth = auth_from_env("", unused, TokenStore{});
  if (!auth) throw no_credentials();
  if (need_user_context && !auth->user_context()) {
    throw usage_error("X credentials",
                      "posting needs user context: set the OAuth 1.0a or OAuth 2.0 variables, "
                      "not only X_BEARER_TOKEN");
  }
}

XClient::XClient(XConfig config, TokenStore store, const Log& log)
    : config_(std::move(config)),
      http_(config_.timeout_ms),
      log_(log),
      rng_(std::random_device{}()) {
  auth_ = auth_from_env(config_.base_url + "/2/oauth2/token", http_, std::move(store));
  if (!auth_) throw no_credentials();
}

void XClient::backoff(int attempt) {
  const long cap_ms = 8000;
  const long base = std::min(cap_ms, config_.retry_base_ms << std::min(attempt, 10));
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long>(base * jitter(rng_))));
}

HttpResponse XClient::call(const std::string& endpoint, const std::string& path,
                           const Params& query, const std::string& body, bool retry) {
  const std::string method = endpoint.substr(0, endpoint.find(' '));
  const std::string base_url = config_.base_url + path;
  std::string url = base_url;
  for (size_t i = 0; i < query.size(); ++i) {
    url += (i == 0 ? "?" : "&") + percent_encode(query[i].first) + "=" +
           percent_encode(query[i].second);
  }
  const int attempts = retry ? config_.max_retries + 1 : 1;
  Classified last;
  attempts_ = 0;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    ++attempts_;
    if (attempt > 0) backoff(attempt - 1);
    HttpRequest req;
    req.method = method;
    req.url = url;
    req.body = body;
    req.headers.push_back("Authorization: " + auth_->authorization(method, base_url, query));
    if (!body.empty()) req.headers.push_back("Content-Type: application/json");
    if (config_.business_now) {
      req.headers.push_back("X-Growthloop-Now: " + format_iso8601(*config_.business_now));
    }
    HttpResponse resp;
    TransportError te;
    ++requests_;
    if (!http_.perform(req, resp, te)) {
      last.problem = te.timeout ? Problem::kTimeout : Problem::kTransport;
      last.detail = te.message;
      log_.info("{}: {} (attempt {} of {})", endpoint, te.message, attempt + 1, attempts);
      continue;
    }
    last = classify_response(resp);
    if (last.problem == Problem::kNone) {
      if (!retry) return resp;
      // A 2xx whose body is cut short is retried like a 5xx.
      if (nlohmann::json::accept(resp.body)) return resp;
      last.problem = Problem::kMalformed;
      last.detail = "body is not valid JSON";
    }
    log_.info("{}: {} (attempt {} of {})", endpoint, last.detail, attempt + 1, attempts);
    if (!is_retryable(last.problem)) break;
  }
  if (usage_sink_) {
    ApiCall failed;
    failed.endpoint = endpoint;
    failed.attempts = attempts_;
    failed.problem = problem_name(last.problem);
    usage_sink_(failed);
  }
  throw ApiError(endpoint, last);
}

void XClient::record(const std::string& endpoint,
                     std::vector<std::pair<std::string, std::string>> resources,
                     std::optional<int> attempts) {
  if (!usage_sink_) return;
  ApiCall c;
  c.endpoint = endpoint;
  c.resources = std::move(resources);
  c.attempts = attempts.value_or(attempts_);
  usage_sink_(c);
}

LookupResult XClient::lookup_tweets(const std::vector<std::string>& ids, bool private_metrics) {
  if (ids.empty() || ids.size() > kMaxIdsPerLookup) {
    throw failure("GET /2/tweets", "needs 1 to 100 ids, got " + std::to_string(ids.size()));
  }
  std::string joined;
  for (const auto& id : ids) joined += (joined.empty() ? "" : ",") + id;
  auto resp = call(
      "GET /2/tweets", "/2/tweets",
      {{"ids", joined}, {"tweet.fields", private_metrics ? kPrivateTweetFields : kTweetFields}}, "",
      true);
  auto result = parse_or_throw<LookupResult>("GET /2/tweets", resp.body, parse_tweet_lookup);
  std::vector<std::pair<std::string, std::string>> billed;
  for (const auto& t : result.tweets) billed.emplace_back(kPostRead, t.id);
  record("GET /2/tweets", std::move(billed));
  return result;
}

UserInfo XClient::me() {
  auto resp = call("GET /2/users/me", "/2/users/me", {{"user.fields", "public_metrics"}}, "", true);
  auto u = parse_or_throw<UserInfo>("GET /2/users/me", resp.body, parse_user);
  record("GET /2/users/me", {{kUserRead, u.id}});
  return u;
}

UserInfo XClient::user(const std::string& user_id) {
  auto resp = call("GET /2/users/:id", "/2/users/" + user_id, {{"user.fields", "public_metrics"}},
                   "", true);
  auto u = parse_or_throw<UserInfo>("GET /2/users/:id", resp.body, parse_user);
  record("GET /2/users/:id", {{kUserRead, u.id}});
  return u;
}

std::vector<TimelineTweet> XClient::user_tweets(const std::string& user_id,
                                                std::optional<TimePoint> start_time,
                                                int max_results) {
  Params q = {{"max_results", std::to_string(std::clamp(max_results, 5, 100))},
              {"tweet.fields", "created_at"}};
  if (start_time) q.emplace_back("start_time", format_iso8601(*start_time));
  auto resp = call("GET /2/users/:id/tweets", "/2/users/" + user_id + "/tweets", q, "", true);
  auto tweets = parse_or_throw<std::vector<TimelineTweet>>("GET /2/users/:id/tweets", resp.body,
                                                           parse_timeline);
  const bool owned = auth_->user_context() && !own_user_id_.empty() && user_id == own_user_id_;
  std::vector<std::pair<std::string, std::string>> billed;
  for (const auto& t : tweets) billed.emplace_back(owned ? kOwnedRead : kPostRead, t.id);
  record("GET /2/users/:id/tweets", std::move(billed));
  return tweets;
}

std::optional<UserInfo> XClient::user_by_username(const std::string& username) {
  const std::string endpoint = "GET /2/users/by/username/:username";
  auto resp = call(endpoint, "/2/users/by/username/" + username,
                   {{"user.fields", "public_metrics"}}, "", true);
  const auto j = nlohmann::json::parse(resp.body, nullptr, false);
  if (j.is_object() && !j.contains("data") && j.contains("errors")) {
    record(endpoint, {});
    return std::nullopt;
  }
  auto u = parse_or_throw<UserInfo>(endpoint, resp.body, parse_user);
  record(endpoint, {{kUserRead, u.id}});
  return u;
}

namespace {

std::vector<std::pair<std::string, std::string>> billed_page(const PostPage& page,
                                                             const char* post_kind) {
  std::vector<std::pair<std::string, std::string>> billed;
  for (const auto& t : page.tweets) billed.emplace_back(post_kind, t.id);
  for (const auto& u : page.users) billed.emplace_back(kUserRead, u.id);
  return billed;
}

}  // namespace

PostPage XClient::search_recent(const SearchRequest& r) {
  const std::string endpoint = "GET /2/tweets/search/recent";
  Params q = {{"query", r.query},
              {"max_results", std::to_string(std::clamp(r.max_results, 10, 100))},
              {"sort_order", r.by_relevancy ? "relevancy" : "recency"},
              {"tweet.fields", kOutsideFields}};
  if (r.with_authors) {
    q.emplace_back("expansions", "author_id");
    q.emplace_back("user.fields", "public_metrics");
  }
  if (!r.since_id.empty()) q.emplace_back("since_id", r.since_id);
  if (!r.next_token.empty()) q.emplace_back("next_token", r.next_token);
  auto resp = call(endpoint, "/2/tweets/search/recent", q, "", true);
  auto page = parse_or_throw<PostPage>(endpoint, resp.body, parse_post_page);
  record(endpoint, billed_page(page, kPostRead));
  return page;
}

PostPage XClient::user_posts(const TimelineRequest& r) {
  const std::string endpoint = "GET /2/users/:id/tweets";
  Params q = {{"max_results", std::to_string(std::clamp(r.max_results, 5, 100))},
              {"tweet.fields", r.private_metrics ? kPrivateTweetFields : kOutsideFields}};
  if (r.originals_only) q.emplace_back("exclude", "retweets,replies");
  if (!r.since_id.empty()) q.emplace_back("since_id", r.since_id);
  if (r.start_time) q.emplace_back("start_time", format_iso8601(*r.start_time));
  if (!r.pagination_token.empty()) q.emplace_back("pagination_token", r.pagination_token);
  auto resp = call(endpoint, "/2/users/" + r.user_id + "/tweets", q, "", true);
  auto page = parse_or_throw<PostPage>(endpoint, resp.body, parse_post_page);
  const bool owned = auth_->user_context() && !own_user_id_.empty() && r.user_id == own_user_id_;
  record(endpoint, billed_page(page, owned ? kOwnedRead : kPostRead));
  return page;
}

std::vector<Trend> XClient::trends(long long woeid, int max_trends) {
  const std::string endpoint = "GET /2/trends/by/woeid/:woeid";
  auto resp = call(endpoint, "/2/trends/by/woeid/" + std::to_string(woeid),
                   {{"max_trends", std::to_string(std::clamp(max_trends, 1, 50))},
                    {"trend.fields", "trend_name,tweet_count"}},
                   "", true);
  auto out = parse_or_throw<std::vector<Trend>>(endpoint, resp.body, parse_trends);
  record(endpoint, {{kTrendsRequest, ""}});
  return out;
}

std::vector<Trend> XClient::personalized_trends() {
  const std::string endpoint = "GET /2/users/personalized_trends";
  auto resp = call(endpoint, "/2/users/personalized_trends",
                   {{"personalized_trend.fields", "category,post_count,trend_name,trending_since"}},
                   "", true);
  auto out = parse_or_throw<std::vector<Trend>>(endpoint, resp.body, parse_trends);
  record(endpoint, {{kTrendsRequest, ""}});
  return out;
}

PostedTweet XClient::post_tweet(const std::string& text,
                                const std::optional<std::string>& reply_to) {
  nlohmann::json body = {{"text", text}};
  if (reply_to) body["reply"] = {{"in_reply_to_tweet_id", *reply_to}};
  auto resp = call("POST /2/tweets", "/2/tweets", {}, body.dump(), false);
  auto posted = parse_or_throw<PostedTweet>("POST /2/tweets", resp.body, parse_post);
  record("POST /2/tweets", {{extract_urls(text).empty() ? kPostCreate : kPostCreateUrl, ""}});
  return posted;
}

void XClient::record_found_post(const std::string& text) {
  record("POST /2/tweets", {{extract_urls(text).empty() ? kPostCreate : kPostCreateUrl, ""}}, 0);
}

ExpectedMetrics XClient::sandbox_score(const std::string& text, TimePoint posted_at) {
  const nlohmann::json body = {{"text", text}, {"posted_at", format_iso8601(posted_at)}};
  auto resp = call("POST /sandbox/score", "/sandbox/score", {}, body.dump(), true);
  return parse_or_throw<ExpectedMetrics>("POST /sandbox/score", resp.body, parse_sandbox_score);
}

}  // namespace gl::x
