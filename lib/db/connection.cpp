#include "db/connection.h"

#include <cstdlib>

#include "core/error.h"
#include "core/hash.h"

namespace gl::db {

namespace {

// A stable lock key per tool name, folded to 31 bits.
int tool_key(const std::string& tool) { return static_cast<int>(fnv1a64(tool) & 0x7fffffff); }

}  // namespace

std::string resolve_conninfo(const std::string& db_flag) {
  if (!db_flag.empty()) return db_flag;
  if (const char* url = std::getenv("DATABASE_URL"); url != nullptr && *url != '\0') return url;
  return "";
}

std::unique_ptr<pqxx::connection> connect(const std::string& conninfo) {
  // libpq reads this when the connection string does not set connect_timeout.
  setenv("PGCONNECT_TIMEOUT", "5", 0);
  try {
    auto conn = std::make_unique<pqxx::connection>(conninfo);
    // Time is always UTC in the database; accounts' zones are applied explicitly.
    pqxx::nontransaction(*conn).exec("SET TIME ZONE 'UTC'");
    return conn;
  } catch (const pqxx::broken_connection& e) {
    std::string reason = e.what();
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    throw temp_error("database", "cannot connect: " + reason);
  }
}

AdvisoryLock::AdvisoryLock(pqxx::connection& conn, const std::string& tool, long long account_id,
                           Mode mode)
    : conn_(conn), key1_(tool_key(tool)), key2_(static_cast<int>(account_id)) {
  pqxx::nontransaction t(conn_);
  if (mode == Mode::kTry) {
    if (!t.exec_params1("SELECT pg_try_advisory_lock($1, $2)", key1_, key2_)[0].as<bool>()) {
      throw temp_error(tool, "another run holds the lock for this account; try again later");
    }
    return;
  }
  t.exec("SET lock_timeout = '120s'");
  t.exec("SET statement_timeout = '120s'");
  try {
    t.exec_params("SELECT pg_advisory_lock($1, $2)", key1_, key2_);
  } catch (const pqxx::sql_error& e) {
    throw temp_error(tool, "waited 120 s for another run to release its lock; try again later");
  }
  t.exec("RESET statement_timeout");
  t.exec("RESET lock_timeout");
}

AdvisoryLock::~AdvisoryLock() {
  try {
    pqxx::nontransaction t(conn_);
    t.exec_params("SELECT pg_advisory_unlock($1, $2)", key1_, key2_);
  } catch (...) {
    // The lock dies with the session anyway.
  }
}

std::optional<long long> optional_count(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<long long>(f.as<long long>());
}

std::optional<double> optional_double(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<double>(f.as<double>());
}

std::string to_pg_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

std::vector<std::string> from_pg_array(const pqxx::field& f) {
  std::vector<std::string> out;
  if (f.is_null()) return out;
  auto parser = f.as_array();
  for (auto item = parser.get_next(); item.first != pqxx::array_parser::done;
       item = parser.get_next()) {
    if (item.first == pqxx::array_parser::string_value) out.push_back(item.second);
  }
  return out;
}

}  // namespace gl::db
