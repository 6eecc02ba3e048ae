#include "db/pg_array.h"

#include <fmt/format.h>

#include <cmath>

namespace gl::db {

void PgArray::sep() {
  if (size_++ > 0) body_ += ',';
}

PgArray& PgArray::add(std::optional<long long> v) {
  sep();
  body_ += v ? std::to_string(*v) : "NULL";
  return *this;
}

PgArray& PgArray::add(std::optional<double> v) {
  sep();
  body_ += v && std::isfinite(*v) ? fmt::format("{:.17g}", *v) : "NULL";
  return *this;
}

PgArray& PgArray::add(bool v) {
  sep();
  body_ += v ? "t" : "f";
  return *this;
}

PgArray& PgArray::add_text(const std::optional<std::string>& v) {
  sep();
  if (!v) {
    body_ += "NULL";
    return *this;
  }
  body_ += '"';
  for (char c : *v) {
    if (c == '"' || c == '\\') body_ += '\\';
    body_ += c;
  }
  body_ += '"';
  return *this;
}

}  // namespace gl::db
