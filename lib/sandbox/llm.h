// x-sandbox's stand-in for an LLM: a small text generator of its own (it
// shares nothing with plan-post's composer) that honours the "Topic:" and
// "Hook:" lines of a prompt, and a small embedding. Deterministic: the same
// prompt gets the same answer. Pure: no I/O.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace gl::sandbox {

// The answer to a chat conversation: a post about the last user message's
// "Topic:" opening the way its "Hook:" line asks.
std::string chat_answer(const nlohmann::json& messages);

// An embedding of text: hashed character trigrams, L2-normalised.
std::vector<float> text_embedding(const std::string& text, int dims = 64);

}  // namespace gl::sandbox
