#include "core/json_lines.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "core/error.h"

namespace gl {

void emit(const Json& j) {
  const std::string line = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::vector<Json> read_json_lines(std::istream& in, const std::string& source) {
  std::vector<Json> out;
  std::string line;
  size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json j = Json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      throw usage_error(source + " line " + std::to_string(number), "expected a JSON object");
    }
    out.push_back(std::move(j));
  }
  return out;
}

std::set<std::string> read_string_field(std::istream& in, const std::string& field,
                                        const std::string& source) {
  std::set<std::string> out;
  for (const auto& j : read_json_lines(in, source)) {
    auto it = j.find(field);
    if (it != j.end() && it->is_string()) out.insert(it->get<std::string>());
  }
  return out;
}

std::string valid_utf8(const std::string& s) {
  return Json::parse(Json(s).dump(-1, ' ', false, Json::error_handler_t::replace))
      .get<std::string>();
}

bool stdin_has_data() {
  if (isatty(STDIN_FILENO)) return false;
  struct stat st {};
  if (fstat(STDIN_FILENO, &st) != 0) return false;
  return S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode) || S_ISSOCK(st.st_mode);
}

}  // namespace gl
