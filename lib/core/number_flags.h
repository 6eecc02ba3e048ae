// Checks of numbers from outside (flag values, number settings): finite, in
// range, and all of the text read. CLI11's own Range lets NaN through and
// PositiveNumber accepts 1e308, so every number flag uses these instead.
#pragma once

#include <string>

namespace CLI {
class Validator;
}  // namespace CLI

namespace gl {

// "" when text is a finite number in [min, max] (a whole one when integer),
// else what is wrong with it, e.g. "nan is not a finite number".
std::string check_number(const std::string& text, double min, double max, bool integer);

// A CLI11 check of a real number flag: finite and in [min, max].
CLI::Validator real_in(double min, double max);
// A CLI11 check of a whole number flag in [min, max].
CLI::Validator whole_in(long long min, long long max);

}  // namespace gl
