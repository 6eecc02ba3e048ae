#include "jobs/x_session.h"

#include "core/error.h"
#include "db/oauth2_store.h"
#include "jobs/usage.h"

namespace gl::jobs {

std::unique_ptr<x::XClient> open_x_client(db::AccountRun& run,
                                          std::shared_ptr<UsageRecorder>* usage) {
  const std::string conninfo = db::resolve_conninfo(run.ctx.common.db);
  auto client = std::make_unique<x::XClient>(
      x::x_config_from_env(run.ctx.clock),
      db::oauth2_token_store(conninfo, db::db_timeouts(run.ctx.tool), run.account.id), run.ctx.log);
  auto recorder = std::make_shared<UsageRecorder>(conninfo, db::db_timeouts(run.ctx.tool),
                                                  run.account.id, run.ctx.tool, run.now);
  client->set_usage_sink([recorder](const x::ApiCall& call) { recorder->record(call); });
  if (run.account.x_user_id) client->set_own_user_id(*run.account.x_user_id);
  if (usage) *usage = recorder;
  return client;
}

std::optional<x::UserInfo> fetch_account_user(db::AccountRun& run, x::XClient& client) {
  // In user context the same one read also says whose the credentials are.
  if (client.auth().user_context()) return verify_account_user(run, client);
  if (run.account.x_user_id) return client.user(*run.account.x_user_id);
  run.ctx.log.warn(
      "cannot read @{}'s followers with app-only auth: set its id with "
      "accounts add {} --x-user-id ID",
      run.account.handle, run.account.handle);
  return std::nullopt;
}

x::UserInfo verify_account_user(db::AccountRun& run, x::XClient& client) {
  x::UserInfo me = client.me();
  const std::string subject = "X credentials of @" + run.account.handle;
  const std::string who = me.id + (me.username.empty() ? "" : " (@" + me.username + ")");
  if (run.account.x_user_id && *run.account.x_user_id != me.id) {
    throw usage_error(subject, "they sign in as X user " + who + ", not as the account's X user " +
                                   *run.account.x_user_id +
                                   ": give the account its own tokens (README, Credentials)");
  }
  // Another account's tokens (a copied token file) would mix two accounts,
  // whether or not this one has its id yet (an id given by hand, too).
  const auto refuse_if_taken = [&] {
    pqxx::read_transaction t(run.conn);
    const auto other = t.exec_params(
        "SELECT handle FROM accounts WHERE x_user_id = $2 AND account_id <> $1 LIMIT 1",
        run.account.id, me.id);
    if (!other.empty()) {
      throw usage_error(subject, "they sign in as X user " + who + ", which is @" +
                                     other[0][0].as<std::string>() +
                                     "'s: give each account its own tokens (README, Credentials)");
    }
  };
  refuse_if_taken();
  client.set_own_user_id(me.id);
  if (!run.account.x_user_id && !run.ctx.common.dry_run) {
    try {
      pqxx::work w(run.conn);
      w.exec_params0(
          "UPDATE accounts SET x_user_id = $2 WHERE account_id = $1 AND x_user_id IS NULL",
          run.account.id, me.id);
      w.commit();
    } catch (const pqxx::unique_violation&) {
      // Another account's first run took the same id since the check (migration 0016).
      refuse_if_taken();
      throw;
    }
  }
  run.account.x_user_id = me.id;
  return me;
}

}  // namespace gl::jobs
