// A result row's fields read in order, by one field walked along the row: each
// pqxx::field that r[i] makes holds its own copy of the result, a cost at
// hundreds of thousands of fields (a learner reading 10,000 posts).
#pragma once

#include <charconv>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "db/connection.h"

namespace gl::db {

class RowFields {
 public:
  // From column `first` on.
  explicit RowFields(const pqxx::row& r, int first = 0) : at_(r.begin() + first) {}

  std::string_view text() {
    const pqxx::field& f = next();
    return {f.c_str(), f.size()};
  }
  // NULL reads none (an empty text is not NULL).
  std::optional<std::string_view> optional_text() {
    const pqxx::field& f = next();
    if (f.size() == 0 && f.is_null()) return std::nullopt;
    return std::string_view(f.c_str(), f.size());
  }
  bool flag() { return next().as<bool>(); }
  int integer() { return next().as<int>(); }
  std::optional<long long> count() {
    const pqxx::field& f = next();
    const char* begin = f.c_str();
    const char* end = begin + f.size();
    if (begin == end && f.is_null()) return std::nullopt;  // only NULL reads empty
    long long v = 0;
    const auto [at, error] = std::from_chars(begin, end, v);
    if (error != std::errc() || at != end) return f.as<long long>();  // libpqxx's error
    return v;
  }
  std::optional<double> real() {
    const pqxx::field& f = next();
    if (f.size() == 0 && f.is_null()) return std::nullopt;
    return as_double(f);
  }
  // The field itself, for a reader of its own (an array).
  const pqxx::field& field() { return next(); }

 private:
  // The field to read, the iterator moved past it once read.
  const pqxx::field& next() {
    if (read_) ++at_;
    read_ = true;
    return at_;  // the iterator is the field (operator* would copy it)
  }

  pqxx::row::const_iterator at_;
  bool read_ = false;
};

}  // namespace gl::db
