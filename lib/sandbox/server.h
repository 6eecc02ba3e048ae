// x-sandbox: a local X API v2 and OpenAI-compatible server on loopback, with
// an audience model and fault injection, for tests, the demo and rehearsals.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "sandbox/faults.h"
#include "sandbox/truth.h"

namespace gl::sandbox {

struct SandboxOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0 picks a free port
  Truth truth = default_truth();
  unsigned long long seed = 1;
  std::vector<FaultRule> faults;
  // The business time of calls that carry no X-Growthloop-Now (default: the system clock).
  std::optional<TimePoint> default_now;
  // Answer with the field names of X's August 2026 openapi spec (repost_count,
  // referenced_posts) instead of the documented ones (retweet_count, referenced_tweets).
  bool new_field_names = false;
  // Every user is a Premium subscriber (real personalized trends).
  bool premium = false;
};

class Server {
 public:
  explicit Server(SandboxOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and returns the port (throws gl::Error when it cannot).
  int bind();
  // Serves until stop().
  void serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gl::sandbox
