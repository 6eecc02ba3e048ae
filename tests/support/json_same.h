// Comparing what a fast path computes with what its statements computed: the
// same JSON, numbers equal within 1e-9 relative (a sum in another order, a
// mean by another division), the rest exactly.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

namespace gl::test {

inline bool close(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

// Checks `a` against `b`, naming the place of a difference after `at`.
inline void same(const nlohmann::json& a, const nlohmann::json& b, const std::string& at) {
  INFO(at << ": " << a.dump() << " vs " << b.dump());
  if (a.is_number() && b.is_number()) {
    CHECK(close(a.get<double>(), b.get<double>()));
    return;
  }
  REQUIRE(a.type() == b.type());
  if (a.is_object()) {
    REQUIRE(a.size() == b.size());
    for (const auto& [k, v] : a.items()) {
      REQUIRE(b.contains(k));
      same(v, b[k], at + "." + k);
    }
  } else if (a.is_array()) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) same(a[i], b[i], at + "[" + std::to_string(i) + "]");
  } else {
    CHECK(a == b);
  }
}

}  // namespace gl::test
