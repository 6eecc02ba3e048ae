// Reading tests/data/ in unit tests: whole files, JSON lines and CSV (RFC 4180:
// quoted fields may hold commas, quotes and line breaks).
#pragma once

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace gl::test {

inline std::string data_path(const std::string& name) {
  return std::string(GL_TEST_DATA_DIR) + "/" + name;
}

inline std::string read_data_file(const std::string& name) {
  std::ifstream in(data_path(name), std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + data_path(name));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::vector<nlohmann::json> read_json_lines_file(const std::string& name) {
  std::istringstream in(read_data_file(name));
  std::vector<nlohmann::json> out;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  }
  return out;
}

// Rows as column name -> value.
inline std::vector<std::map<std::string, std::string>> read_csv_file(const std::string& name) {
  const std::string text = read_data_file(name);
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, row_has_content = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = row_has_content = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
      row_has_content = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (row_has_content || !field.empty()) {
        rows.back().push_back(field);
        rows.emplace_back();
      }
      field.clear();
      row_has_content = false;
    } else {
      field += c;
      row_has_content = true;
    }
  }
  if (row_has_content || !field.empty()) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  std::vector<std::map<std::string, std::string>> out;
  for (size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != rows[0].size()) {
      throw std::runtime_error(name + ": row " + std::to_string(r) + " has " +
                               std::to_string(rows[r].size()) + " fields, the header " +
                               std::to_string(rows[0].size()));
    }
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < rows[0].size(); ++c) row[rows[0][c]] = rows[r][c];
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace gl::test
