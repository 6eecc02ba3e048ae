// Test support: an x-sandbox process on loopback and a client for its control
// endpoints, plus the environment a tool needs to reach it.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/harness.h"

namespace gl::test {

class Sandbox {
 public:
  explicit Sandbox(std::vector<std::string> extra_args = {});
  const std::string& url() const { return url_; }

  nlohmann::json get(const std::string& path);
  // `headers` as "Name: value" lines (an Authorization header makes the call the user's).
  nlohmann::json post(const std::string& path, const nlohmann::json& body,
                      const std::vector<std::string>& headers = {});
  void faults(const nlohmann::json& rules) { post("/sandbox/faults", {{"rules", rules}}); }
  void clear_faults() { faults(nlohmann::json::array()); }
  // Creates tweets for the user a credential key stands for ("oauth1:<access
  // token>", "oauth2:<client id>"); returns their ids.
  std::vector<std::string> import(const std::string& user_key,
                                  const std::vector<std::string>& texts,
                                  const std::string& created_at);

 private:
  std::unique_ptr<Process> process_;
  std::string url_;
};

// DATABASE_URL, X_API_BASE_URL, OAuth 1.0a credentials with access token
// `token`, and short retry/timeouts so fault tests run quickly.
std::map<std::string, std::string> tool_env(const std::string& db_url, const Sandbox& sandbox,
                                            const std::string& token = "e2e-token");

Result run_tool(std::vector<std::string> args, const std::map<std::string, std::string>& env,
                const std::string& stdin_text = "");

// Parses one JSON object per line.
std::vector<nlohmann::json> json_lines(const std::string& out);

}  // namespace gl::test
