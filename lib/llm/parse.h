// Reading what an OpenAI-compatible server answers: the assistant's text, the
// embeddings, and the error in a failed response. Plain functions from a body
// to a value, so every shape a server may send can be tested and fuzzed.
#pragma once

#include <string>
#include <vector>

namespace gl::llm {

// The assistant's text of a chat completion. Throws gl::Error naming the
// endpoint: 75 for a malformed, empty or cut-off answer (worth another try),
// 1 for a refusal.
std::string parse_chat_answer(const std::string& body);

// One embedding per input, in input order (data[] sorted by index). Throws a
// gl::Error (75) when the body does not hold exactly one vector of numbers per input.
std::vector<std::vector<float>> parse_embeddings(const std::string& body, size_t inputs);

// The message of an error body: OpenAI nests {"error": {...}}, older vLLM
// puts it at the top, code may be a string, an int or null. Sets code to the
// code (or type) when there is one. Never throws.
std::string parse_error_message(const std::string& body, std::string& code);

}  // namespace gl::llm
