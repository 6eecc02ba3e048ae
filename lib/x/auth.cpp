#include "x/auth.h"

#include <openssl/evp.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/secrets.h"

namespace gl::x {

namespace {

using nlohmann::json;

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

class BearerAuth : public Auth {
 public:
  explicit BearerAuth(std::string token) : token_(std::move(token)) {}
  AuthKind kind() const override { return AuthKind::kBearer; }
  std::string authorization(const std::string&, const std::string&, const Params&) override {
    return "Bearer " + token_;
  }

 private:
  std::string token_;
};

class OAuth1Auth : public Auth {
 public:
  explicit OAuth1Auth(OAuth1Credentials c) : creds_(std::move(c)) {}
  AuthKind kind() const override { return AuthKind::kOAuth1; }
  std::string authorization(const std::string& method, const std::string& base_url,
                            const Params& query) override {
    // X rejects stale signatures: the system clock, never the business clock.
    const long long ts = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    return oauth1_header(creds_, method, base_url, query, oauth1_nonce(), ts);
  }

 private:
  OAuth1Credentials creds_;
};

class OAuth2Auth : public Auth {
 public:
  OAuth2Auth(std::string client_id, std::optional<std::string> client_secret,
             std::string env_refresh, std::string token_url, HttpClient& http, TokenStore store)
      : client_id_(std::move(client_id)),
        client_secret_(std::move(client_secret)),
        env_refresh_(std::move(env_refresh)),
        token_url_(std::move(token_url)),
        http_(http),
        store_(std::move(store)) {}

  AuthKind kind() const override { return AuthKind::kOAuth2; }

  std::string authorization(const std::string&, const std::string&, const Params&) override {
    if (!current_) current_ = store_.load();
    if (expiring(current_)) {
      const auto held = store_.lock ? store_.lock() : nullptr;
      // Another process may have refreshed while this one waited: its pair is the newest.
      current_ = store_.load();
      if (expiring(current_)) refresh();
    }
    return "Bearer " + current_->access_token;
  }

 private:
  static bool expiring(const std::optional<OAuth2Tokens>& t) {
    return !t ||
           t->access_expires_at <= std::chrono::system_clock::now() + std::chrono::seconds(60);
  }

  void refresh() {
    std::string error;
    // The stored token is the newest; the environment's is the one a person set.
    if (current_ && try_refresh(current_->refresh_token, error)) return;
    if ((!current_ || current_->refresh_token != env_refresh_) &&
        try_refresh(env_refresh_, error)) {
      return;
    }
    throw failure("X OAuth 2.0 token refresh",
                  error + "; authorize the app again and set X_OAUTH2_REFRESH_TOKEN");
  }

  bool try_refresh(const std::string& refresh_token, std::string& error) {
    HttpRequest req;
    req.method = "POST";
    req.url = token_url_;
    req.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    req.body = "grant_type=refresh_token&refresh_token=" + percent_encode(refresh_token);
    if (client_secret_) {
      req.headers.push_back("Authorization: Basic " + base64(client_id_ + ":" + *client_secret_));
    } else {
      req.body += "&client_id=" + percent_encode(client_id_);
    }
    HttpResponse resp;
    TransportError te;
    constexpr const char* kWhat = "X OAuth 2.0 token refresh";
    // An answer that was lost or garbled may still have spent the token at X.
    constexpr const char* kMaySpend =
        "; try again later (if the next run says to authorize the app again, do so)";
    if (!http_.perform(req, resp, te)) throw temp_error(kWhat, te.message + kMaySpend);
    const auto body = nlohmann::json::parse(resp.body, nullptr, false);
    const std::string code = body.is_object() && body.value("error", json()).is_string()
                                 ? body["error"].get<std::string>()
                                 : "";
    const std::string desc = body.is_object() && body.value("error_description", json()).is_string()
                                 ? body["error_description"].get<std::string>()
                                 : "";
    error = "HTTP " + std::to_string(resp.status) + (code.empty() ? "" : " " + code) +
            (desc.empty() ? "" : ": " + desc);
    if (resp.status == 429 || resp.status >= 500) {
      throw temp_error(kWhat, error + "; try again later");
    }
    if (resp.status == 400) return false;  // this refresh token was refused
    if (resp.status != 200) {
      throw failure(kWhat, error +
                               ": check X_OAUTH2_CLIENT_ID, X_OAUTH2_CLIENT_SECRET and the app's "
                               "settings in the developer console");
    }
    if (!body.is_object() || !body.value("access_token", json()).is_string() ||
        !body.value("refresh_token", json()).is_string() ||
        !body.value("expires_in", json(7200)).is_number_integer()) {
      throw temp_error(kWhat, std::string("malformed token response") + kMaySpend);
    }
    OAuth2Tokens t;
    t.access_token = body["access_token"].get<std::string>();
    t.refresh_token = body["refresh_token"].get<std::string>();
    const long long expires_in = std::clamp(body.value("expires_in", 7200LL), 60LL, 86400LL * 365);
    t.access_expires_at = std::chrono::system_clock::now() + std::chrono::seconds(expires_in);
    // Single-use refresh tokens: the new pair is durable before it is used.
    store_.save(t);
    current_ = t;
    return true;
  }

  std::string client_id_;
  std::optional<std::string> client_secret_;
  std::string env_refresh_;
  std::string token_url_;
  HttpClient& http_;
  TokenStore store_;
  std::optional<OAuth2Tokens> current_;
};

}  // namespace

const char* auth_kind_name(AuthKind k) {
  switch (k) {
    case AuthKind::kBearer:
      return "app-only bearer";
    case AuthKind::kOAuth1:
      return "OAuth 1.0a user context";
    case AuthKind::kOAuth2:
      return "OAuth 2.0 user context";
  }
  return "unknown";
}

std::unique_ptr<Auth> auth_from_env(const std::string& token_url, HttpClient& http,
                                    TokenStore store) {
  const auto ck = env_secret("X_CONSUMER_KEY");
  const auto cs = env_secret("X_CONSUMER_SECRET");
  const auto at = env_secret("X_ACCESS_TOKEN");
  const auto ats = env_secret("X_ACCESS_TOKEN_SECRET");
  const int oauth1_set = !!ck + !!cs + !!at + !!ats;
  if (oauth1_set == 4) return std::make_unique<OAuth1Auth>(OAuth1Credentials{*ck, *cs, *at, *ats});
  if (oauth1_set > 0) {
    throw usage_error("OAuth 1.0a credentials",
                      "set all four of X_CONSUMER_KEY, X_CONSUMER_SECRET, X_ACCESS_TOKEN and "
                      "X_ACCESS_TOKEN_SECRET (or their _FILE forms)");
  }
  const auto client_id = env_secret("X_OAUTH2_CLIENT_ID");
  const auto refresh = env_secret("X_OAUTH2_REFRESH_TOKEN");
  if (client_id || refresh) {
    if (!client_id || !refresh) {
      throw usage_error("OAuth 2.0 credentials",
                        "set both X_OAUTH2_CLIENT_ID and X_OAUTH2_REFRESH_TOKEN");
    }
    return std::make_unique<OAuth2Auth>(*client_id, env_secret("X_OAUTH2_CLIENT_SECRET"), *refresh,
                                        token_url, http, std::move(store));
  }
  if (const auto bearer = env_secret("X_BEARER_TOKEN"))
    return std::make_unique<BearerAuth>(*bearer);
  return nullptr;
}

}  // namespace gl::x
