#include "llm/parse.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/json_lines.h"

namespace gl::llm {

namespace {

using nlohmann::json;

constexpr const char* kChat = "LLM POST /chat/completions";
constexpr const char* kEmbeddings = "LLM POST /embeddings";

const json* member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string string_member(const json& j, const char* key) {
  const json* v = member(j, key);
  return v && v->is_string() ? v->get<std::string>() : "";
}

}  // namespace

std::string parse_chat_answer(const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  const json* choices = member(j, "choices");
  if (!choices || !choices->is_array() || choices->empty() || !member((*choices)[0], "message")) {
    throw temp_error(kChat, "malformed response: no choices[0].message");
  }
  const json& choice = (*choices)[0];
  const json& msg = *member(choice, "message");
  if (const std::string refusal = string_member(msg, "refusal"); !refusal.empty()) {
    throw failure(kChat, "the model refused: " + valid_utf8(refusal.substr(0, 200)));
  }
  const std::string content = string_member(msg, "content");
  if (content.empty()) throw temp_error(kChat, "empty answer");
  if (string_member(choice, "finish_reason") == "length") {
    throw temp_error(kChat, "the answer was cut off (finish_reason length)");
  }
  return content;
}

std::vector<std::vector<float>> parse_embeddings(const std::string& body, size_t inputs) {
  const json j = json::parse(body, nullptr, false);
  const json* data = member(j, "data");
  if (!data || !data->is_array() || data->size() != inputs) {
    throw temp_error(kEmbeddings, "malformed response: expected one embedding per input");
  }
  std::vector<std::vector<float>> out(inputs);
  std::vector<bool> seen(inputs, false);
  for (const auto& d : *data) {
    const json* index = member(d, "index");
    const json* embedding = member(d, "embedding");
    if (!index || !index->is_number_unsigned() || index->get<size_t>() >= inputs ||
        seen[index->get<size_t>()] || !embedding || !embedding->is_array() || embedding->empty()) {
      throw temp_error(kEmbeddings, "malformed response: bad data item");
    }
    const size_t i = index->get<size_t>();
    seen[i] = true;
    for (const auto& v : *embedding) {
      if (!v.is_number() || !(std::abs(v.get<double>()) <= std::numeric_limits<float>::max())) {
        throw temp_error(kEmbeddings, "malformed response: an embedding holds a non-number");
      }
      out[i].push_back(v.get<float>());
    }
  }
  return out;
}

std::string parse_error_message(const std::string& body, std::string& code) {
  const json j = json::parse(body, nullptr, false);
  const std::string head = valid_utf8(body.substr(0, 200));
  if (!j.is_object()) return head;
  const json* nested = member(j, "error");
  const json& e = nested && nested->is_object() ? *nested : j;
  if (const json* c = member(e, "code"); c && !c->is_null()) {
    code = c->is_string() ? c->get<std::string>() : c->dump();
  }
  if (code.empty()) code = string_member(e, "type");
  if (const std::string message = string_member(e, "message"); !message.empty()) return message;
  if (nested && nested->is_string()) return nested->get<std::string>();
  return head;
}

}  // namespace gl::llm
