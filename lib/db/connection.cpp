#include "db/connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/error.h"
#include "core/hash.h"
#include "core/redact.h"
#include "core/secrets.h"

namespace gl::db {

namespace {

// A stable lock key per tool name, folded to 31 bits.
int tool_key(const std::string& tool) { return static_cast<int>(fnv1a64(tool) & 0x7fffffff); }

// Sessions given back for the next run of this process (keep_sessions_between_runs).
struct IdleSession {
  std::string key;
  std::unique_ptr<pqxx::connection> conn;
};
bool keep_sessions = false;
std::vector<IdleSession> idle_sessions;

// Sessions are alike when their conninfo and the timeouts connect() set are.
std::string session_key(const std::string& conninfo, const DbTimeouts& timeouts) {
  return conninfo + "\n" + std::to_string(timeouts.lock_ms) + " " +
         std::to_string(timeouts.statement_ms);
}

// What every session of ours has, in one round trip: time in UTC (accounts'
// zones are applied explicitly), the timeouts, and no session lock. A kept
// session gets it again when handed out: libpqxx reconnects a broken
// connection by itself, and such a session has none of it.
void set_session(pqxx::connection& conn, const DbTimeouts& timeouts) {
  pqxx::nontransaction t(conn);
  t.exec("SET TIME ZONE 'UTC'; SET lock_timeout = " + std::to_string(timeouts.lock_ms) +
         "; SET statement_timeout = " + std::to_string(timeouts.statement_ms) +
         "; SELECT pg_advisory_unlock_all()");
}

// A session whose server stops answering (a network partition, a host gone
// without a word) fails within 30 s instead of TCP's 15 minutes: a tenth of
// publish's 5-minute cron interval, so the next tick finds the lock free and
// the run has said why. Unanswered data is bounded by TCP_USER_TIMEOUT; a wait
// for a reply by keepalive probes (10 s idle, then 4 every 5 s), which a live
// server's kernel answers however long its statement runs. A conninfo that
// sets keepalives or tcp_user_timeout itself is left as libpq made it; a Unix
// socket has neither.
void bound_dead_server(pqxx::connection& conn, const std::string& conninfo) {
  if (conninfo.find("keepalives") != std::string::npos ||
      conninfo.find("tcp_user_timeout") != std::string::npos)
    return;
  const int fd = conn.sock();
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (fd < 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
      (address.ss_family != AF_INET && address.ss_family != AF_INET6))
    return;
  const auto set = [fd](int level, int option, int value) {
    setsockopt(fd, level, option, &value, sizeof value);
  };
  set(SOL_SOCKET, SO_KEEPALIVE, 1);
  set(IPPROTO_TCP, TCP_KEEPIDLE, 10);
  set(IPPROTO_TCP, TCP_KEEPINTVL, 5);
  set(IPPROTO_TCP, TCP_KEEPCNT, 4);
  set(IPPROTO_TCP, TCP_USER_TIMEOUT, 30000);
}

// A kept session alike, set again (which shows it alive), or null.
std::unique_ptr<pqxx::connection> kept_session(const std::string& conninfo,
                                               const DbTimeouts& timeouts) {
  const std::string key = session_key(conninfo, timeouts);
  for (auto it = idle_sessions.begin(); it != idle_sessions.end(); ++it) {
    if (it->key != key) continue;
    std::unique_ptr<pqxx::connection> conn = std::move(it->conn);
    idle_sessions.erase(it);
    try {
      set_session(*conn, timeouts);
      bound_dead_server(*conn, conninfo);  // its socket may be new (libpqxx reconnects)
      return conn;
    } catch (const std::exception&) {
      return nullptr;  // the server went away or restarted: a new session then
    }
  }
  return nullptr;
}

}  // namespace

std::string resolve_conninfo(const std::string& db_flag) {
  if (!db_flag.empty()) return db_flag;
  if (const char* url = std::getenv("DATABASE_URL"); url != nullptr && *url != '\0') return url;
  return "";
}

DbTimeouts db_timeouts(const std::string& tool) {
  // Learners aggregate over all of an account's posts; the others touch a few rows.
  static const std::map<std::string, long> kStatementMs = {
      {"publish", 30000},       {"scrape-metrics", 60000},     {"plan-post", 60000},
      {"accounts", 30000},      {"update-generators", 300000}, {"extract-formulas", 300000},
      {"learn-hourly", 300000}, {"aggregate", 300000},         {"migrate", 0}};
  DbTimeouts t;
  if (auto it = kStatementMs.find(tool); it != kStatementMs.end()) t.statement_ms = it->second;
  constexpr long kDay = 86400000;
  t.lock_ms = env_whole("DB_LOCK_TIMEOUT_MS", t.lock_ms, 0, kDay);
  t.statement_ms = env_whole("DB_STATEMENT_TIMEOUT_MS", t.statement_ms, 0, kDay);
  return t;
}

int connect_error_exit_code(const std::string& message) {
  // What time cures, checked first: "could not translate host name" is
  // configuration unless the resolver itself is failing for now.
  static const char* const kTemporary[] = {"Connection refused",
                                           "timeout expired",
                                           "timed out",
                                           "shutting down",
                                           "starting up",
                                           "not yet accepting connections",
                                           "in recovery mode",
                                           "too many clients",
                                           "connection slots are reserved",
                                           "Temporary failure in name resolution",
                                           "No route to host",
                                           "Network is unreachable",
                                           "server closed the connection",
                                           "Connection reset",
                                           "could not receive data",
                                           "could not send data",
                                           "terminating connection",
                                           "SSL SYSCALL"};
  static const char* const kConfiguration[] = {"invalid",
                                               "missing \"=\"",
                                               "unterminated quoted string",
                                               "end of string reached",
                                               "does not exist",
                                               "authentication failed",
                                               "no password supplied",
                                               "password is required",
                                               "pg_hba.conf",
                                               "permission denied",
                                               "could not translate host name",
                                               "Name or service not known",
                                               "No address associated with hostname",
                                               "SSL was required",
                                               "does not support SSL",
                                               "certificate",
                                               "unsupported",
                                               "not supported",
                                               "unrecognized"};
  for (const char* t : kTemporary) {
    if (message.find(t) != std::string::npos) return kExitTempFail;
  }
  for (const char* c : kConfiguration) {
    if (message.find(c) != std::string::npos) return kExitUsage;
  }
  // Unknown: most likely the network, which may come back.
  return kExitTempFail;
}

std::unique_ptr<pqxx::connection> connect(const std::string& conninfo, const DbTimeouts& timeouts) {
  if (auto kept = kept_session(conninfo, timeouts)) return kept;
  // libpq reads this when the connection string does not set connect_timeout.
  setenv("PGCONNECT_TIMEOUT", "5", 0);
  std::unique_ptr<pqxx::connection> conn;
  try {
    conn = std::make_unique<pqxx::connection>(conninfo);
  } catch (const pqxx::broken_connection& e) {
    std::string reason = redact_credentials(e.what(), passwords_in(conninfo));
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    const int code = connect_error_exit_code(reason);
    throw Error(code, "database",
                "cannot connect: " + reason +
                    (code == kExitUsage ? " (check --db, DATABASE_URL or the PG* variables)"
                                        : "; try again later"));
  }
  bound_dead_server(*conn, conninfo);
  set_session(*conn, timeouts);
  return conn;
}

void keep_sessions_between_runs() { keep_sessions = true; }

void release_session(std::unique_ptr<pqxx::connection> conn, const std::string& conninfo,
                     const DbTimeouts& timeouts) {
  if (keep_sessions && conn && conn->is_open())
    idle_sessions.push_back({session_key(conninfo, timeouts), std::move(conn)});
}

Session::Session(std::string conninfo, DbTimeouts timeouts)
    : conninfo_(std::move(conninfo)), timeouts_(timeouts), conn_(connect(conninfo_, timeouts_)) {}

Session::~Session() { release_session(std::move(conn_), conninfo_, timeouts_); }

AdvisoryLock::AdvisoryLock(pqxx::connection& conn, const std::string& tool, long long account_id,
                           Mode mode)
    : conn_(conn), key1_(tool_key(tool)), key2_(static_cast<int>(account_id)) {
  if (mode == Mode::kTry) {
    pqxx::nontransaction t(conn_);
    if (!t.exec_params1("SELECT pg_try_advisory_lock($1, $2)", key1_, key2_)[0].as<bool>()) {
      throw temp_error(
          "lock", "another run of " + tool + " holds the lock for this account; try again later");
    }
    return;
  }
  // The bound applies to this wait only: the session keeps its own timeouts.
  try {
    pqxx::work w(conn_);
    w.exec("SET LOCAL lock_timeout = '120s'");
    w.exec("SET LOCAL statement_timeout = '120s'");
    w.exec_params("SELECT pg_advisory_lock($1, $2)", key1_, key2_);
    w.commit();
  } catch (const pqxx::sql_error&) {
    throw temp_error("lock", "waited 120 s for another run of " + tool +
                                 " to release its lock; try again later");
  }
}

AdvisoryLock::~AdvisoryLock() {
  try {
    pqxx::nontransaction t(conn_);
    t.exec_params("SELECT pg_advisory_unlock($1, $2)", key1_, key2_);
  } catch (...) {
    // The lock dies with the session, or with the next run's set_session when it is kept.
  }
}

void lock_account_table(pqxx::transaction_base& t, const std::string& table, long long account_id) {
  t.exec_params("SELECT pg_advisory_xact_lock($1, $2)", tool_key("table " + table),
                static_cast<int>(account_id));
}

std::optional<long long> optional_count(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<long long>(f.as<long long>());
}

std::optional<double> optional_double(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<double>(as_double(f));
}

double as_double(const pqxx::field& f) {
  if (f.is_null()) return f.as<double>();  // libpqxx's error for a NULL
  const char* begin = f.c_str();
  const char* end = begin + f.size();
  double v = 0;
  const auto [at, error] = std::from_chars(begin, end, v);
  // NaN, Infinity and anything from_chars does not read whole: libpqxx's reading.
  if (error != std::errc() || at != end || !std::isfinite(v)) return f.as<double>();
  return v;
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
