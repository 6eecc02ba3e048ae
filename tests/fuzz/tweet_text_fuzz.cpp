// Fuzzes X's text rules (x/tweet_text.h): lengths and the four kinds of
// entities of any valid UTF-8 text. Built with -DGL_REFERENCE (by
// bench/text_fuzz_reference.sh), it also traps on any difference from an older
// tweet_text compiled into namespace gl_old.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "x/tweet_text.h"

namespace gl {
std::string text_reading(const std::string& text);
}
#ifdef GL_REFERENCE
namespace gl_old {
std::string text_reading(const std::string& text);
}
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (!gl::x::valid_utf8(text)) return 0;  // callers check (inspect-text, import-history)
  const std::string reading = gl::text_reading(text);
#ifdef GL_REFERENCE
  const std::string reference = gl_old::text_reading(text);
  if (reading != reference) {
    std::fprintf(stderr, "differs from the reference:\n--- new\n%s--- reference\n%s",
                 reading.c_str(), reference.c_str());
    __builtin_trap();
  }
#endif
  return 0;
}
