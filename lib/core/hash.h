// FNV-1a: a small, stable, non-cryptographic hash for keys that must not
// change between runs (advisory lock keys, embedding buckets, sandbox noise).
#pragma once

#include <cstdint>
#include <string>

namespace gl {

inline std::uint64_t fnv1a64(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace gl
