#include "db/oauth2_store.h"

#include <pqxx/pqxx>

#include "db/connection.h"

namespace gl::db {

namespace {

// The refresh lock of one account: a session advisory lock on a session held
// exactly as long as the handle, then given back (an --all-accounts worker
// hands it to its next account's refresh instead of opening another). The
// lock, declared after the session, is released before it.
struct RefreshLock {
  Session session;
  AdvisoryLock lock;
  RefreshLock(const std::string& conninfo, const DbTimeouts& timeouts, long long account_id)
      : session(conninfo, timeouts),
        lock(session.conn(), "X OAuth 2.0 token refresh", account_id, AdvisoryLock::Mode::kWait) {}
};

}  // namespace

x::TokenStore oauth2_token_store(const std::string& conninfo, const DbTimeouts& timeouts,
                                 long long account_id) {
  x::TokenStore store;
  store.lock = [conninfo, timeouts, account_id]() -> std::shared_ptr<void> {
    return std::make_shared<RefreshLock>(conninfo, timeouts, account_id);
  };
  store.load = [conninfo, timeouts, account_id]() -> std::optional<x::OAuth2Tokens> {
    Session session(conninfo, timeouts);
    pqxx::read_transaction t(session.conn());
    auto r = t.exec_params(
        "SELECT access_token, extract(epoch FROM access_expires_at)::bigint, refresh_token "
        "FROM oauth2_tokens WHERE account_id = $1",
        account_id);
    if (r.empty()) return std::nullopt;
    return std::optional(x::OAuth2Tokens{r[0][0].as<std::string>(),
                                         TimePoint(std::chrono::seconds(r[0][1].as<long long>())),
                                         r[0][2].as<std::string>()});
  };
  store.save = [conninfo, timeouts, account_id](const x::OAuth2Tokens& tokens) {
    Session session(conninfo, timeouts);
    pqxx::work w(session.conn());
    w.exec_params0(
        "INSERT INTO oauth2_tokens (account_id, access_token, access_expires_at, refresh_token, "
        "rotated_at) VALUES ($1, $2, to_timestamp($3), $4, clock_timestamp()) "
        "ON CONFLICT (account_id) DO UPDATE SET access_token = excluded.access_token, "
        "access_expires_at = excluded.access_expires_at, refresh_token = excluded.refresh_token, "
        "rotated_at = excluded.rotated_at",
        account_id, tokens.access_token,
        std::chrono::duration_cast<std::chrono::seconds>(
            tokens.access_expires_at.time_since_epoch())
            .count(),
        tokens.refresh_token);
    w.commit();
  };
  return store;
}

}  // namespace gl::db
