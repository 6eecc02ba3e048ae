#include "x/oauth1.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>

#include "core/http.h"

namespace gl::x {

namespace {

std::string base64(const unsigned char* data, size_t len) {
  std::string out(4 * ((len + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<size_t>(n));
  return out;
}

}  // namespace

std::string oauth1_base_string(const std::string& method, const std::string& base_url,
                               const Params& params) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(params.size());
  for (const auto& [k, v] : params) encoded.emplace_back(percent_encode(k), percent_encode(v));
  std::sort(encoded.begin(), encoded.end());
  std::string joined;
  for (const auto& [k, v] : encoded) {
    if (!joined.empty()) joined += '&';
    joined += k + "=" + v;
  }
  return method + "&" + percent_encode(base_url) + "&" + percent_encode(joined);
}

std::string oauth1_signature(const std::string& base_string, const std::string& consumer_secret,
                             const std::string& token_secret) {
  const std::string key = percent_encode(consumer_secret) + "&" + percent_encode(token_secret);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(base_string.data()), base_string.size(), digest,
       &len);
  return base64(digest, len);
}

std::string oauth1_header(const OAuth1Credentials& creds, const std::string& method,
                          const std::string& base_url, const Params& query_params,
                          const std::string& nonce, long long timestamp) {
  Params oauth = {{"oauth_consumer_key", creds.consumer_key},
                  {"oauth_nonce", nonce},
                  {"oauth_signature_method", "HMAC-SHA1"},
                  {"oauth_timestamp", std::to_string(timestamp)},
                  {"oauth_token", creds.token},
                  {"oauth_version", "1.0"}};
  Params all = query_params;
  all.insert(all.end(), oauth.begin(), oauth.end());
  const std::string signature = oauth1_signature(oauth1_base_string(method, base_url, all),
                                                 creds.consumer_secret, creds.token_secret);
  oauth.emplace_back("oauth_signature", signature);
  std::sort(oauth.begin(), oauth.end());
  std::string header = "OAuth ";
  for (size_t i = 0; i < oauth.size(); ++i) {
    if (i) header += ", ";
    header += percent_encode(oauth[i].first) + "=\"" + percent_encode(oauth[i].second) + "\"";
  }
  return header;
}

std::string oauth1_nonce() {
  unsigned char bytes[32];
  RAND_bytes(bytes, sizeof bytes);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

}  // namespace gl::x
