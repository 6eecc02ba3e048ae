// Connecting to PostgreSQL and holding per-(tool, account) advisory locks.
#pragma once

#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace gl::db {

// --db if given, else DATABASE_URL, else "" (libpq then reads PGHOST, PGPORT, ...).
std::string resolve_conninfo(const std::string& db_flag);

// Opens a connection with a bounded connect timeout (PGCONNECT_TIMEOUT, default 5 s).
// An unreachable database is a temporary failure (exit 75).
std::unique_ptr<pqxx::connection> connect(const std::string& conninfo);

// A session-level advisory lock keyed by (tool, account). kTry fails at once
// with exit 75 when another run holds it; kWait waits up to a bound, then 75.
class AdvisoryLock {
 public:
  enum class Mode { kTry, kWait };
  AdvisoryLock(pqxx::connection& conn, const std::string& tool, long long account_id, Mode mode);
  ~AdvisoryLock();
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  pqxx::connection& conn_;
  int key1_;
  int key2_;
};

// A nullable column as an optional: NULL stays unknown, never 0.
std::optional<long long> optional_count(const pqxx::field& f);
std::optional<double> optional_double(const pqxx::field& f);

// A PostgreSQL text[] literal for a parameter: {"a","b \"c\""}.
std::string to_pg_array(const std::vector<std::string>& items);
// Parses a text[] value as libpq returns it.
std::vector<std::string> from_pg_array(const pqxx::field& f);

}  // namespace gl::db
