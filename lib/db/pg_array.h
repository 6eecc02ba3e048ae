// Builds PostgreSQL array literals for set-based writes: one parameter per
// column, expanded in SQL with unnest($1::bigint[], $2::text[], ...).
#pragma once

#include <optional>
#include <string>

namespace gl::db {

class PgArray {
 public:
  PgArray& add(std::optional<long long> v);
  PgArray& add(std::optional<double> v);
  PgArray& add(bool v);
  PgArray& add_text(const std::optional<std::string>& v);
  // An element that is itself an array literal (for text[][] use unnest of a text column instead).
  std::string str() const { return "{" + body_ + "}"; }
  size_t size() const { return size_; }

 private:
  void sep();
  std::string body_;
  size_t size_ = 0;
};

}  // namespace gl::db
