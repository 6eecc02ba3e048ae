#include "support/sandbox.h"

#include <sstream>
#include <stdexcept>

#include "core/http.h"

namespace gl::test {

Sandbox::Sandbox(std::vector<std::string> extra_args) {
  std::vector<std::string> args = {"x-sandbox", "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<Process>(Command{args, "", {}});
  const auto line = process_->read_line();
  const auto j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object() || !j.contains("url"))
    throw std::runtime_error("x-sandbox did not start: " + line);
  url_ = j["url"].get<std::string>();
}

namespace {
nlohmann::json call(const std::string& method, const std::string& url, const std::string& body,
                    const std::vector<std::string>& headers = {}) {
  HttpClient http(10000);
  HttpRequest req;
  req.method = method;
  req.url = url;
  req.body = body;
  req.headers = headers;
  if (!body.empty()) req.headers.push_back("Content-Type: application/json");
  HttpResponse resp;
  TransportError err;
  if (!http.perform(req, resp, err))
    throw std::runtime_error("sandbox call failed: " + err.message);
  if (resp.status != 200) throw std::runtime_error("sandbox " + url + ": " + resp.body);
  return nlohmann::json::parse(resp.body);
}
}  // namespace

nlohmann::json Sandbox::get(const std::string& path) { return call("GET", url_ + path, ""); }
nlohmann::json Sandbox::post(const std::string& path, const nlohmann::json& body,
                             const std::vector<std::string>& headers) {
  return call("POST", url_ + path, body.dump(), headers);
}

std::vector<std::string> Sandbox::import(const std::string& user_key,
                                         const std::vector<std::string>& texts,
                                         const std::string& created_at) {
  nlohmann::json tweets = nlohmann::json::array();
  for (const auto& t : texts) tweets.push_back({{"text", t}, {"created_at", created_at}});
  const auto r = post("/sandbox/import", {{"user_key", user_key}, {"tweets", tweets}});
  return r["ids"].get<std::vector<std::string>>();
}

std::map<std::string, std::string> tool_env(const std::string& db_url, const Sandbox& sandbox,
                                            const std::string& token) {
  return {{"DATABASE_URL", db_url},
          {"X_API_BASE_URL", sandbox.url()},
          {"X_CONSUMER_KEY", "e2e-consumer-key"},
          {"X_CONSUMER_SECRET", "e2e-consumer-secret"},
          {"X_ACCESS_TOKEN", token},
          {"X_ACCESS_TOKEN_SECRET", "e2e-token-secret"},
          {"X_RETRY_BASE_MS", "5"},
          {"X_HTTP_TIMEOUT_MS", "3000"}};
}

Result run_tool(std::vector<std::string> args, const std::map<std::string, std::string>& env,
                const std::string& stdin_text) {
  return run(Command{std::move(args), stdin_text, env});
}

std::vector<nlohmann::json> json_lines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

}  // namespace gl::test
