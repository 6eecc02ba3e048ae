// How requests to X are authorized, chosen by which variables are set (each
// also readable from NAME_FILE): OAuth 1.0a user context (X_CONSUMER_KEY,
// X_CONSUMER_SECRET, X_ACCESS_TOKEN, X_ACCESS_TOKEN_SECRET), OAuth 2.0 user
// context (X_OAUTH2_CLIENT_ID, X_OAUTH2_CLIENT_SECRET optional,
// X_OAUTH2_REFRESH_TOKEN), or app-only X_BEARER_TOKEN. User context wins when
// several are set, since it can read private metrics and post.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/http.h"
#include "x/oauth1.h"

namespace gl::x {

enum class AuthKind { kBearer, kOAuth1, kOAuth2 };
const char* auth_kind_name(AuthKind k);

class Auth {
 public:
  virtual ~Auth() = default;
  virtual AuthKind kind() const = 0;
  bool user_context() const { return kind() != AuthKind::kBearer; }
  // The Authorization header value for one request.
  virtual std::string authorization(const std::string& method, const std::string& base_url,
                                    const Params& query) = 0;
};

// OAuth 2.0 tokens as persisted between runs (single-use refresh tokens rotate).
struct OAuth2Tokens {
  std::string access_token;
  TimePoint access_expires_at;
  std::string refresh_token;
};

// Where rotated OAuth 2.0 tokens live (the database, in the tools).
struct TokenStore {
  std::function<std::optional<OAuth2Tokens>()> load;
  std::function<void(const OAuth2Tokens&)> save;  // must be durable before it returns
  // Held (until the handle is released) while a refresh is decided and done,
  // so two processes never spend one single-use refresh token: the second
  // waits, re-reads the stored pair and uses the first's. Unset: no lock.
  std::function<std::shared_ptr<void>()> lock;
};

// Reads the environment. Returns nullptr when no credentials are set.
// token_url is where OAuth 2.0 refreshes go; http is used for them.
std::unique_ptr<Auth> auth_from_env(const std::string& token_url, HttpClient& http,
                                    TokenStore store);

}  // namespace gl::x
