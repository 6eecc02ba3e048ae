// JSON in and out: one object per line on stdout, and reading the previous
// tool's output from stdin.
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <vector>

namespace gl {

using Json = nlohmann::json;

// Prints one compact JSON object and a newline to stdout, flushed.
void emit(const Json& j);

// Reads JSON objects, one per line (blank lines skipped). A line that is not a
// JSON object is a usage error naming "stdin line N".
std::vector<Json> read_json_lines(std::istream& in, const std::string& source = "stdin");

// True when stdin is a pipe or file rather than a terminal or /dev/null.
bool stdin_has_data();

}  // namespace gl
