// An OpenAI-compatible client (OpenAI, Ollama, llama.cpp, vLLM, x-sandbox):
// chat completions and embeddings. Configured by LLM_BASE_URL (e.g.
// http://localhost:11434/v1), LLM_API_KEY (or LLM_API_KEY_FILE), LLM_MODEL
// and LLM_EMBEDDING_MODEL.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/http.h"
#include "core/log.h"

namespace gl::llm {

struct LlmConfig {
  std::string base_url;
  std::string api_key;
  std::string model;
  std::string embedding_model;
  long timeout_ms = 30000;  // LLM_TIMEOUT_MS
  int max_retries = 2;
};

// Nothing when LLM_BASE_URL is unset. A base URL without a key or model is a usage error.
std::optional<LlmConfig> llm_config_from_env(bool need_chat_model);

struct ChatMessage {
  std::string role;
  std::string content;
};

// What writing code needs of a chat model, so it can be given one (the real
// client in the tools, a scripted one in unit tests).
class ChatModel {
 public:
  virtual ~ChatModel() = default;
  // The assistant's text. Throws gl::Error when there is none worth using.
  virtual std::string chat(const std::vector<ChatMessage>& messages, double temperature,
                           int max_tokens) = 0;
};

class LlmClient : public ChatModel {
 public:
  LlmClient(LlmConfig config, const Log& log);
  const LlmConfig& config() const { return config_; }

  // The assistant's text. Throws gl::Error (75 for what time cures: 429 rate
  // limits, 5xx, timeouts; 1 otherwise, e.g. insufficient_quota or a bad key)
  // naming the endpoint; a refusal, an empty answer or a cut-off one is an error.
  std::string chat(const std::vector<ChatMessage>& messages, double temperature,
                   int max_tokens) override;

  // One embedding per input, in input order.
  std::vector<std::vector<float>> embed(const std::vector<std::string>& inputs);

 private:
  std::string post(const std::string& path, const std::string& body);
  LlmConfig config_;
  HttpClient http_;
  const Log& log_;
};

}  // namespace gl::llm
