// One reused libcurl handle: TLS verified, bounded timeouts, a User-Agent
// naming growthloop. Transport only: callers classify statuses and bodies.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gl {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A failure below HTTP: connection refused, TLS, timeout.
struct TransportError {
  bool timeout = false;
  std::string message;
};

class HttpClient {
 public:
  // Timeouts in milliseconds; a total timeout of 0 keeps the default (30 s).
  explicit HttpClient(long timeout_ms = 0, long connect_timeout_ms = 10000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Returns false and fills error on a transport failure.
  bool perform(const HttpRequest& req, HttpResponse& resp, TransportError& error);

 private:
  void* curl_;  // CURL*
  long timeout_ms_;
  long connect_timeout_ms_;
};

// Checks the setting `name` holds an http(s) URL that libcurl can use (a port
// past 65535, a bad host or percent-sign would otherwise fail every request
// as if the network were down, exit 75); a usage error naming it otherwise.
void require_http_url(const std::string& name, const std::string& url);

// RFC 3986 percent-encoding: only A-Z a-z 0-9 - . _ ~ stay, hex upper-case.
std::string percent_encode(const std::string& s);

}  // namespace gl
