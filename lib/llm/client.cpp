#include "llm/client.h"

#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"
#include "core/secrets.h"

namespace gl::llm {

namespace {

using nlohmann::json;

// OpenAI nests {"error": {...}}; older vLLM puts it at the top; code may be a string or an int.
std::string error_message(const std::string& body, std::string& code) {
  const json j = json::parse(body, nullptr, false);
  if (!j.is_object()) return body.substr(0, 200);
  const json& e = j.contains("error") && j["error"].is_object() ? j["error"] : j;
  if (e.contains("code"))
    code = e["code"].is_string() ? e["code"].get<std::string>() : e["code"].dump();
  if (e.contains("type") && e["type"].is_string() && code.empty())
    code = e["type"].get<std::string>();
  if (e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
  if (j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
  return body.substr(0, 200);
}

}  // namespace

std::optional<LlmConfig> llm_config_from_env(bool need_chat_model) {
  const auto base = env_setting("LLM_BASE_URL");
  if (!base) return std::nullopt;
  LlmConfig c;
  c.base_url = *base;
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  const auto key = env_secret("LLM_API_KEY");
  if (!key)
    throw usage_error(
        "LLM_API_KEY",
        "LLM_BASE_URL is set but LLM_API_KEY is not (any non-empty value for local servers)");
  c.api_key = *key;
  c.model = env_setting("LLM_MODEL").value_or("");
  c.embedding_model = env_setting("LLM_EMBEDDING_MODEL").value_or(c.model);
  if (need_chat_model && c.model.empty())
    throw usage_error("LLM_MODEL", "LLM_BASE_URL is set but LLM_MODEL is not");
  c.timeout_ms = env_long("LLM_TIMEOUT_MS", c.timeout_ms);
  return c;
}

LlmClient::LlmClient(LlmConfig config, const Log& log)
    : config_(std::move(config)), http_(config_.timeout_ms), log_(log) {}

std::string LlmClient::post(const std::string& path, const std::string& body) {
  const std::string endpoint = "LLM POST " + path;
  std::string last;
  bool temporary = true;
  for (int attempt = 0; attempt <= config_.max_retries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(250L << attempt));
    HttpRequest req;
    req.method = "POST";
    req.url = config_.base_url + path;
    req.body = body;
    req.headers = {"Content-Type: application/json", "Authorization: Bearer " + config_.api_key};
    HttpResponse resp;
    TransportError te;
    if (!http_.perform(req, resp, te)) {
      last = te.message;
      log_.info("{}: {} (attempt {})", endpoint, last, attempt + 1);
      continue;
    }
    if (resp.status >= 200 && resp.status < 300) return resp.body;
    std::string code;
    last = "HTTP " + std::to_string(resp.status) + ": " + error_message(resp.body, code);
    // 429 with insufficient_quota is a billing problem, not a rate limit.
    temporary = (resp.status == 429 && code != "insufficient_quota") || resp.status >= 500 ||
                resp.status == 408;
    log_.info("{}: {} (attempt {})", endpoint, last, attempt + 1);
    if (!temporary) break;
  }
  throw Error(temporary ? kExitTempFail : kExitFailure, endpoint, last);
}

std::string LlmClient::chat(const std::vector<ChatMessage>& messages, double temperature,
                            int max_tokens) {
  json msgs = json::array();
  for (const auto& m : messages) msgs.push_back({{"role", m.role}, {"content", m.content}});
  const json body = {{"model", config_.model},
                     {"messages", msgs},
                     {"temperature", temperature},
                     {"max_tokens", max_tokens}};
  const std::string endpoint = "LLM POST /chat/completions";
  const json j = json::parse(post("/chat/completions", body.dump()), nullptr, false);
  if (!j.is_object() || !j.contains("choices") || !j["choices"].is_array() ||
      j["choices"].empty() || !j["choices"][0].is_object() ||
      !j["choices"][0].contains("message")) {
    throw temp_error(endpoint, "malformed response: no choices[0].message");
  }
  const json& choice = j["choices"][0];
  const json& msg = choice["message"];
  if (msg.contains("refusal") && msg["refusal"].is_string()) {
    throw failure(endpoint, "the model refused: " + msg["refusal"].get<std::string>());
  }
  if (!msg.contains("content") || !msg["content"].is_string() ||
      msg["content"].get<std::string>().empty()) {
    throw temp_error(endpoint, "empty answer");
  }
  if (choice.value("finish_reason", "") == "length")
    throw temp_error(endpoint, "the answer was cut off (finish_reason length)");
  return msg["content"].get<std::string>();
}

std::vector<std::vector<float>> LlmClient::embed(const std::vector<std::string>& inputs) {
  const json body = {{"model", config_.embedding_model}, {"input", inputs}};
  const std::string endpoint = "LLM POST /embeddings";
  const json j = json::parse(post("/embeddings", body.dump()), nullptr, false);
  if (!j.is_object() || !j.contains("data") || !j["data"].is_array() ||
      j["data"].size() != inputs.size()) {
    throw temp_error(endpoint, "malformed response: expected one embedding per input");
  }
  std::vector<std::vector<float>> out(inputs.size());
  for (const auto& d : j["data"]) {
    const size_t index = d.value("index", static_cast<size_t>(0));
    if (index >= out.size() || !d.contains("embedding") || !d["embedding"].is_array()) {
      throw temp_error(endpoint, "malformed response: bad data item");
    }
    for (const auto& v : d["embedding"]) out[index].push_back(v.get<float>());
  }
  return out;
}

}  // namespace gl::llm
