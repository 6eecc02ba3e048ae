// OAuth 1.0a request signing (RFC 5849, HMAC-SHA1) as X documents it. JSON
// bodies are not signed; query parameters are.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gl::x {

struct OAuth1Credentials {
  std::string consumer_key;
  std::string consumer_secret;
  std::string token;
  std::string token_secret;
};

using Params = std::vector<std::pair<std::string, std::string>>;

// The signature base string: METHOD&enc(base_url)&enc(sorted encoded params).
std::string oauth1_base_string(const std::string& method, const std::string& base_url,
                               const Params& params);

// base64(HMAC-SHA1(enc(consumer_secret)&enc(token_secret), base string)).
std::string oauth1_signature(const std::string& base_string, const std::string& consumer_secret,
                             const std::string& token_secret);

// The full Authorization header value ("OAuth oauth_consumer_key=..., ...").
// nonce and timestamp are arguments so the signature can be tested; callers
// pass a fresh nonce and the system clock (never --now).
std::string oauth1_header(const OAuth1Credentials& creds, const std::string& method,
                          const std::string& base_url, const Params& query_params,
                          const std::string& nonce, long long timestamp);

// 32 random bytes, hex-encoded.
std::string oauth1_nonce();

}  // namespace gl::x
