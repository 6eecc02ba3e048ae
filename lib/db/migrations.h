// Numbered SQL migrations: the only place the schema is written. They are
// compiled into the library (cmake/embed_migrations.cmake) and applied by the
// `migrate` tool, each in its own transaction, recorded with a checksum.
#pragma once

#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace gl::db {

struct Migration {
  std::string name;  // file name without .sql, e.g. "0001_schema"
  std::string sql;
};

// The migrations this build was compiled with, in order.
const std::vector<Migration>& embedded_migrations();

// Reads NNNN_*.sql from a directory, sorted by name (for `migrate --dir`).
std::vector<Migration> load_migrations(const std::string& dir);

struct MigrationStatus {
  std::string name;
  std::string state;  // applied, pending, changed (file differs from what was applied), unknown
  std::string applied_at;  // empty unless applied
};

std::vector<MigrationStatus> migration_status(pqxx::connection& conn,
                                              const std::vector<Migration>& known);

// Applies the pending migrations under a blocking advisory lock (a concurrent
// run waits, then finds nothing to do). Refuses to run when an applied
// migration's file changed. Returns the names applied.
std::vector<std::string> apply_migrations(pqxx::connection& conn,
                                          const std::vector<Migration>& known, bool dry_run);

// Every tool calls this at start: the database must be at exactly the schema
// this build knows, or the tool stops saying which command to run.
void require_current_schema(pqxx::connection& conn);

}  // namespace gl::db
