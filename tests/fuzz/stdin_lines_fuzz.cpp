// Fuzzes the reading of JSON lines from stdin (update-generators reads
// scrape-metrics' output). A bad line is a usage error naming it.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/error.h"
#include "core/json_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  try {
    for (const auto& name : gl::read_string_field(in, "generator")) gl::valid_utf8(name);
  } catch (const gl::Error& e) {
    if (e.exit_code() != gl::kExitUsage) __builtin_trap();
  }
  return 0;
}
