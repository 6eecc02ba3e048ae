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

// How long one session waits: for a lock held by another session
// (lock_timeout) and for any one statement (statement_timeout); 0 = no limit.
// Either ends the statement with SQLSTATE 55P03 or 57014, which tools exit 75 on.
struct DbTimeouts {
  long lock_ms = 15000;
  long statement_ms = 60000;
};

// The tool's defaults, overridden for every tool by DB_LOCK_TIMEOUT_MS and
// DB_STATEMENT_TIMEOUT_MS (a bad value is a usage error naming the variable).
DbTimeouts db_timeouts(const std::string& tool);

// The exit code for a failed connection attempt, from libpq's message:
// configuration (bad URL or option, unknown database or role, failed
// authentication, unknown host, SSL required but refused) is 2; what may come
// back (refused, timed out, shutting down or starting, too many clients) is 75.
int connect_error_exit_code(const std::string& libpq_message);

// Opens a connection with a bounded connect timeout (PGCONNECT_TIMEOUT, default
// 5 s) and the given timeouts. A failure says why, without any password from
// conninfo, and exits as connect_error_exit_code says. Over TCP, a server
// that stops answering ends the session within 30 s (keepalives and
// TCP_USER_TIMEOUT), unless conninfo sets keepalives or tcp_user_timeout.
// In a process that keeps sessions (keep_sessions_between_runs), a session
// given back with the same conninfo and timeouts is handed out again instead,
// its settings made again (one round trip, which also shows it alive).
std::unique_ptr<pqxx::connection> connect(const std::string& conninfo,
                                          const DbTimeouts& timeouts = {});

// From now on this process keeps the sessions its runs give back
// (release_session) for its next runs: a worker of --all-accounts, which
// runs account after account, pays for a session (a backend's start and its
// catalog caches) once instead of once per account.
void keep_sessions_between_runs();

// Gives a session back when it is done with: kept when the process keeps
// sessions and it is open, else closed. The caller has ended every
// transaction and released every session lock on it.
void release_session(std::unique_ptr<pqxx::connection> conn, const std::string& conninfo,
                     const DbTimeouts& timeouts);

// A session of connect(), held for a scope and given back (release_session)
// at its end: how a run, the X usage recorder and the OAuth 2.0 token store
// hold theirs. Whatever is opened on it ends before it does.
class Session {
 public:
  Session(std::string conninfo, DbTimeouts timeouts);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  pqxx::connection& conn() { return *conn_; }

 private:
  std::string conninfo_;
  DbTimeouts timeouts_;
  std::unique_ptr<pqxx::connection> conn_;
};

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

// Serialises, until `t` ends, the writers of one account's rows of `table`
// that run under different tools' locks (learn-hourly and extract-formulas
// both rewrite viral_formulas; learn-hourly and aggregate both number
// predictor_models): the second waits for the first to commit.
void lock_account_table(pqxx::transaction_base& t, const std::string& table, long long account_id);

// A nullable column as an optional: NULL stays unknown, never 0.
std::optional<long long> optional_count(const pqxx::field& f);
std::optional<double> optional_double(const pqxx::field& f);
// f.as<double>(), read without a stream (libpqxx's parse was a tenth of a
// learner's CPU at 10,000 posts); the same value, correctly rounded.
double as_double(const pqxx::field& f);

// A PostgreSQL text[] literal for a parameter: {"a","b \"c\""}.
std::string to_pg_array(const std::vector<std::string>& items);
// Parses a text[] value as libpq returns it.
std::vector<std::string> from_pg_array(const pqxx::field& f);

}  // namespace gl::db
