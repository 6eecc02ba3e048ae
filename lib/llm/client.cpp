#include "llm/client.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "core/error.h"
#include "core/http.h"
#include "core/secrets.h"
#include "llm/parse.h"

namespace gl::llm {

using nlohmann::json;

std::optional<LlmConfig> llm_config_from_env(bool need_chat_model) {
  const auto base = env_setting("LLM_BASE_URL");
  if (!base) return std::nullopt;
  LlmConfig c;
  c.base_url = *base;
  require_http_url("LLM_BASE_URL", c.base_url);
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
  c.timeout_ms = env_whole("LLM_TIMEOUT_MS", c.timeout_ms, 1, 600000);
  return c;
}

LlmClient::LlmClient(LlmConfig config, const Log& log)
    : config_(std::move(config)), http_(config_.timeout_ms), log_(log) {}

namespace {

// How long the server asks us to wait (OpenAI's retry-after-ms, else the
// standard Retry-After in whole seconds); nullopt when it does not say.
std::optional<long> retry_after_ms(const HttpResponse& resp) {
  for (const auto& [name, scale] : {std::pair{"retry-after-ms", 1L}, {"retry-after", 1000L}}) {
    const std::string v = resp.header(name);
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos)
      continue;
    return std::stol(v) * scale;
  }
  return std::nullopt;
}

}  // namespace

std::string LlmClient::post(const std::string& path, const std::string& body) {
  const std::string endpoint = "LLM POST " + path;
  std::string last;
  bool temporary = true;
  std::optional<long> asked_ms;  // the last answer's Retry-After
  for (int attempt = 0; attempt <= config_.max_retries; ++attempt) {
    if (attempt > 0) {
      // As the server asks, unless it asks for longer than an answer may take:
      // then the caller's fallback (the offline composer) beats waiting.
      if (asked_ms && *asked_ms > config_.timeout_ms) {
        last += fmt::format(" (asks to wait {} s; not waiting)", (*asked_ms + 999) / 1000);
        break;
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(asked_ms ? *asked_ms : 250L << attempt));
    }
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
    last = "HTTP " + std::to_string(resp.status) + ": " + parse_error_message(resp.body, code);
    // 429 with insufficient_quota is a billing problem, not a rate limit.
    temporary = (resp.status == 429 && code != "insufficient_quota") || resp.status >= 500 ||
                resp.status == 408;
    asked_ms = retry_after_ms(resp);
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
  return parse_chat_answer(
      post("/chat/completions", body.dump(-1, ' ', false, json::error_handler_t::replace)));
}

std::vector<std::vector<float>> LlmClient::embed(const std::vector<std::string>& inputs) {
  const json body = {{"model", config_.embedding_model}, {"input", inputs}};
  return parse_embeddings(
      post("/embeddings", body.dump(-1, ' ', false, json::error_handler_t::replace)),
      inputs.size());
}

}  // namespace gl::llm
