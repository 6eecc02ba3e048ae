// Fuzzes what a person types as a flag or setting value: --now (ISO 8601),
// number flags and settings, and --db (whose passwords must be redacted).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/clock.h"
#include "core/error.h"
#include "core/number_flags.h"
#include "core/redact.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // --now: a time in range, or a usage error; never a time outside the range.
  if (const auto t = gl::parse_iso8601(text)) {
    if (*t < *gl::parse_iso8601(gl::kEarliestTime) || *t > *gl::parse_iso8601(gl::kLatestTime))
      __builtin_trap();
    gl::format_iso8601(*t);
  }
  try {
    gl::parse_now_flag(text);
  } catch (const gl::Error& e) {
    if (e.exit_code() != gl::kExitUsage) __builtin_trap();
  }
  // Number flags: accepted values are finite and in range.
  for (const bool integer : {false, true}) {
    if (gl::check_number(text, -1e6, 1e6, integer).empty()) {
      const double v = std::strtod(text.c_str(), nullptr);
      if (!(v >= -1e6 && v <= 1e6)) __builtin_trap();
    }
  }
  // --db: no password a connection string carries survives redaction.
  const std::string redacted = gl::redact_credentials(text, gl::passwords_in(text));
  for (const auto& p : gl::passwords_in(text)) {
    if (p.size() >= 4 && p.find('*') == std::string::npos && redacted.find(p) != std::string::npos)
      __builtin_trap();
  }
  return 0;
}
