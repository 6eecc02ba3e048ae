#include "db/migrations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/cli.h"
#include "core/error.h"
#include "core/regex.h"
#include "core/sha256.h"
#include "db/connection.h"

namespace gl::db {

namespace {

struct Applied {
  std::string checksum;
  std::string applied_at;
};

bool has_migrations_table(pqxx::transaction_base& t) {
  return !t.exec1("SELECT to_regclass('schema_migrations') IS NULL")[0].as<bool>();
}

std::map<std::string, Applied> read_applied(pqxx::transaction_base& t) {
  std::map<std::string, Applied> out;
  if (!has_migrations_table(t)) return out;
  for (const auto& row :
       t.exec("SELECT name, checksum, to_char(applied_at AT TIME ZONE 'UTC', "
              "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM schema_migrations ORDER BY name")) {
    out[row[0].as<std::string>()] = Applied{row[1].as<std::string>(), row[2].as<std::string>()};
  }
  return out;
}

std::vector<MigrationStatus> compare(const std::map<std::string, Applied>& applied,
                                     const std::vector<Migration>& known) {
  std::vector<MigrationStatus> out;
  for (const auto& m : known) {
    auto it = applied.find(m.name);
    if (it == applied.end()) {
      out.push_back({m.name, "pending", ""});
    } else if (it->second.checksum != sha256_hex(m.sql)) {
      out.push_back({m.name, "changed", it->second.applied_at});
    } else {
      out.push_back({m.name, "applied", it->second.applied_at});
    }
  }
  for (const auto& [name, a] : applied) {
    const bool is_known =
        std::any_of(known.begin(), known.end(), [&](const Migration& m) { return m.name == name; });
    if (!is_known) out.push_back({name, "unknown", a.applied_at});
  }
  return out;
}

}  // namespace

std::vector<Migration> load_migrations(const std::string& dir) {
  namespace fs = std::filesystem;
  static const Regex kName("^[0-9]{4}_[A-Za-z0-9_]+\\.sql$");
  std::vector<Migration> out;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw usage_error("--dir", "cannot read " + dir + ": " + ec.message());
  for (const auto& entry : it) {
    const std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || !kName.full_match(file)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back({file.substr(0, file.size() - 4), ss.str()});
  }
  std::sort(out.begin(), out.end(),
            [](const Migration& a, const Migration& b) { return a.name < b.name; });
  if (out.empty()) throw usage_error("--dir", dir + " holds no NNNN_name.sql migrations");
  return out;
}

std::vector<MigrationStatus> migration_status(pqxx::connection& conn,
                                              const std::vector<Migration>& known) {
  pqxx::read_transaction t(conn);
  return compare(read_applied(t), known);
}

std::vector<std::string> apply_migrations(pqxx::connection& conn,
                                          const std::vector<Migration>& known, bool dry_run) {
  // A concurrent migrate waits here (bounded), then finds everything applied.
  AdvisoryLock lock(conn, "migrate", 0, AdvisoryLock::Mode::kWait);
  std::map<std::string, Applied> applied;
  {
    pqxx::read_transaction t(conn);
    applied = read_applied(t);
  }
  std::vector<const Migration*> pending;
  for (const auto& s : compare(applied, known)) {
    if (s.state == "changed") {
      throw failure("migration " + s.name,
                    "its file changed after it was applied on " + s.applied_at +
                        "; restore it and put the change in a new migration");
    }
    if (s.state == "unknown") {
      throw failure("migration " + s.name,
                    "applied to the database but unknown to this build: upgrade growthloop");
    }
  }
  for (const auto& m : known) {
    if (applied.find(m.name) == applied.end()) pending.push_back(&m);
  }
  std::vector<std::string> done;
  for (const Migration* m : pending) {
    if (dry_run) {
      done.push_back(m->name);
      continue;
    }
    pqxx::work w(conn);
    try {
      w.exec(m->sql);
      w.exec_params0("INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", m->name,
                     sha256_hex(m->sql));
      w.commit();
    } catch (const pqxx::sql_error& e) {
      // A lock held elsewhere or a timeout is for later (75); a bad migration is not.
      const int code = sqlstate_exit_code(e.sqlstate());
      throw Error(code, "migration " + m->name,
                  std::string("failed, nothing of it applied: ") + e.what() +
                      (code == kExitTempFail ? "; try again later" : ""));
    }
    done.push_back(m->name);
  }
  return done;
}

void require_current_schema(pqxx::connection& conn) {
  const auto& known = embedded_migrations();
  const std::string needed = known.empty() ? "" : known.back().name;
  std::string have;
  {
    pqxx::read_transaction t(conn);
    if (has_migrations_table(t)) {
      auto r = t.exec("SELECT max(name) FROM schema_migrations");
      if (!r[0][0].is_null()) have = r[0][0].as<std::string>();
    }
  }
  const auto short_name = [](const std::string& n) { return n.substr(0, 4); };
  if (have.empty())
    throw failure("database",
                  "schema is empty, this build needs " + short_name(needed) + ": run migrate");
  if (have < needed) {
    throw failure("database", "schema is at " + short_name(have) + ", this build needs " +
                                  short_name(needed) + ": run migrate");
  }
  if (have > needed) {
    throw failure("database", "schema is at " + short_name(have) + ", newer than this build (" +
                                  short_name(needed) + "): upgrade growthloop");
  }
}

}  // namespace gl::db
