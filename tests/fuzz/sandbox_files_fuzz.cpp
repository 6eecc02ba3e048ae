// Fuzzes x-sandbox's readers of its truth file (--truth) and fault rules
// (--faults, POST /sandbox/faults). The first byte picks the reader. A bad
// file is a usage gl::Error naming it, never a crash or another exception;
// an accepted truth survives its own round trip, and accepted fault rules
// hold values the server can act on.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "sandbox/faults.h"
#include "sandbox/truth.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto j = nlohmann::json::parse(reinterpret_cast<const char*>(data) + 1,
                                       reinterpret_cast<const char*>(data) + size, nullptr,
                                       /*allow_exceptions=*/false);
  if (j.is_discarded()) return 0;  // the tool rejects text that is not JSON before these
  using namespace gl::sandbox;
  try {
    if (data[0] % 2 == 0) {
      const Truth t = parse_truth(j, "truth.json");
      const auto once = truth_to_json(t);
      if (truth_to_json(parse_truth(once, "round trip")) != once) __builtin_trap();
    } else {
      for (const FaultRule& r : parse_faults(j, "faults.json")) {
        if (r.skip < 0 || r.times < -1 || r.delay_ms < 0 || r.reset_in_s < 0 ||
            !(r.fraction >= 0 && r.fraction <= 1) ||
            (r.status != 0 && (r.status < 400 || r.status > 599)))
          __builtin_trap();
      }
    }
  } catch (const gl::Error& e) {
    if (e.exit_code() != gl::kExitUsage) __builtin_trap();
  }
  return 0;
}
