// Fuzzes the readers of an OpenAI-compatible server's answers. A bad answer
// is a gl::Error naming the endpoint, never a crash or another exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "llm/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 3) {
      case 0:
        gl::llm::parse_chat_answer(body);
        break;
      case 1:
        gl::llm::parse_embeddings(body, 1 + data[0] / 3 % 4);
        break;
      default: {
        std::string code;
        gl::llm::parse_error_message(body, code);
        break;
      }
    }
  } catch (const gl::Error&) {
  }
  return 0;
}
