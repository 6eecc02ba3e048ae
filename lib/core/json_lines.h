// JSON in and out: one object per line on stdout, and reading the previous
// tool's output from stdin.
#pragma once

#include <istream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace gl {

using Json = nlohmann::json;

// Prints one compact JSON object and a newline to stdout, flushed.
void emit(const Json& j);

// Reads JSON objects, one per line (blank lines skipped). A line that is not a
// JSON object is a usage error naming "stdin line N".
std::vector<Json> read_json_lines(std::istream& in, const std::string& source = "stdin");

// The string values of `field` in the JSON objects of `in`, one per line
// (read_json_lines' rules: a line that is not a JSON object is a usage error
// naming it). Objects without the field, or with a non-string value, add nothing.
std::set<std::string> read_string_field(std::istream& in, const std::string& field,
                                        const std::string& source = "stdin");

// s with every invalid UTF-8 sequence replaced by U+FFFD, as emit() prints it:
// for text from outside (an API's error body) bound for a row or a JSON line.
std::string valid_utf8(const std::string& s);

// True when stdin is a pipe or file rather than a terminal or /dev/null.
bool stdin_has_data();

}  // namespace gl
