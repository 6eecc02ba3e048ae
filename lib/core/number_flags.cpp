#include "core/number_flags.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace gl {

namespace {

// A whole bound as text: the double of LLONG_MAX is 2^63, past what casts back.
std::string whole_text(double v) {
  if (v >= 9223372036854775807.0) return std::to_string(std::numeric_limits<long long>::max());
  if (v <= -9223372036854775807.0) return std::to_string(std::numeric_limits<long long>::min());
  return std::to_string(static_cast<long long>(v));
}

std::string range_text(double min, double max, bool integer) {
  return integer ? whole_text(min) + " to " + whole_text(max)
                 : fmt::format("{:g} to {:g}", min, max);
}

}  // namespace

std::string check_number(const std::string& text, double min, double max, bool integer) {
  const std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
  if (text.empty()) return "is empty: expected a number";
  if (text.find_first_of(" \t\r\n") != std::string::npos) {
    return "\"" + shown + "\" is not a number";
  }
  if (integer) {
    const size_t first_digit = text[0] == '-' || text[0] == '+' ? 1 : 0;
    if (first_digit == text.size() ||
        text.find_first_not_of("0123456789", first_digit) != std::string::npos) {
      return "\"" + shown + "\" is not a whole number";
    }
    errno = 0;
    const long long v = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE || static_cast<double>(v) < min || static_cast<double>(v) > max) {
      return "\"" + shown + "\" is out of range (" + range_text(min, max, true) + ")";
    }
    return "";
  }
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return "\"" + shown + "\" is not a number";
  if (!std::isfinite(v)) {
    return "\"" + shown + "\" is not a finite number";
  }
  if (v < min || v > max) {
    return "\"" + shown + "\" is out of range (" + range_text(min, max, false) + ")";
  }
  return "";
}

CLI::Validator real_in(double min, double max) {
  return CLI::Validator(
      [min, max](std::string& text) { return check_number(text, min, max, false); },
      "NUMBER in " + range_text(min, max, false));
}

CLI::Validator whole_in(long long min, long long max) {
  return CLI::Validator(
      [min, max](std::string& text) {
        return check_number(text, static_cast<double>(min), static_cast<double>(max), true);
      },
      "INT in " + range_text(static_cast<double>(min), static_cast<double>(max), true));
}

}  // namespace gl
