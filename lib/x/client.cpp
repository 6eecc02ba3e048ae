#include "x/client.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "core/secrets.h"
#include "x/parse.h"

namespace gl::x {

namespace {

constexpr const char* kTweetFields = "created_at,author_id,conversation_id,public_metrics";
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
  if (c.base_url.rfind("http://", 0) != 0 && c.base_url.rfind("https://", 0) != 0) {
    throw usage_error("X_API_BASE_URL", "\"" + c.base_url + "\" is not an http(s) URL");
  }
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
  for (int attempt = 0; attempt < attempts; ++attempt) {
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
  throw ApiError(endpoint, last);
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
  return parse_or_throw<LookupResult>("GET /2/tweets", resp.body, parse_tweet_lookup);
}

UserInfo XClient::me() {
  auto resp = call("GET /2/users/me", "/2/users/me", {{"user.fields", "public_metrics"}}, "", true);
  return parse_or_throw<UserInfo>("GET /2/users/me", resp.body, parse_user);
}

UserInfo XClient::user(const std::string& user_id) {
  auto resp = call("GET /2/users/:id", "/2/users/" + user_id, {{"user.fields", "public_metrics"}},
                   "", true);
  return parse_or_throw<UserInfo>("GET /2/users/:id", resp.body, parse_user);
}

std::vector<TimelineTweet> XClient::user_tweets(const std::string& user_id,
                                                std::optional<TimePoint> start_time,
                                                int max_results) {
  Params q = {{"max_results", std::to_string(std::clamp(max_results, 5, 100))},
              {"tweet.fields", "created_at"}};
  if (start_time) q.emplace_back("start_time", format_iso8601(*start_time));
  auto resp = call("GET /2/users/:id/tweets", "/2/users/" + user_id + "/tweets", q, "", true);
  return parse_or_throw<std::vector<TimelineTweet>>("GET /2/users/:id/tweets", resp.body,
                                                    parse_timeline);
}

PostedTweet XClient::post_tweet(const std::string& text,
                                const std::optional<std::string>& reply_to) {
  nlohmann::json body = {{"text", text}};
  if (reply_to) body["reply"] = {{"in_reply_to_tweet_id", *reply_to}};
  auto resp = call("POST /2/tweets", "/2/tweets", {}, body.dump(), false);
  return parse_or_throw<PostedTweet>("POST /2/tweets", resp.body, parse_post);
}

ExpectedMetrics XClient::sandbox_score(const std::string& text, TimePoint posted_at) {
  const nlohmann::json body = {{"text", text}, {"posted_at", format_iso8601(posted_at)}};
  auto resp = call("POST /sandbox/score", "/sandbox/score", {}, body.dump(), true);
  return parse_or_throw<ExpectedMetrics>("POST /sandbox/score", resp.body, parse_sandbox_score);
}

}  // namespace gl::x
