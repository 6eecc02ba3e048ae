#include "db/all_accounts.h"

#include <iostream>
#include <map>

#include "core/fan_out.h"
#include "core/json_lines.h"
#include "core/progress.h"
#include "db/accounts.h"
#include "db/job_run.h"

namespace gl::db {

namespace {

// stdin's JSON lines by the account they name; "" holds the lines naming none.
std::map<std::string, std::string> stdin_by_account() {
  std::map<std::string, std::string> by_account;
  if (!stdin_has_data()) return by_account;
  for (const Json& line : read_json_lines(std::cin)) {
    const auto it = line.find("account");
    const std::string account =
        it != line.end() && it->is_string() ? strip_handle_at(it->get<std::string>()) : "";
    by_account[account] += line.dump() + "\n";
  }
  return by_account;
}

// A child's stdout line with its account: a JSON object gets "account" (the
// tools' own lines never disagree with it), anything else is wrapped.
Json tagged(const std::string& account, const std::string& line) {
  Json j = Json::parse(line, nullptr, false);
  if (!j.is_object()) j = Json{{"line", valid_utf8(line)}};
  j["account"] = account;
  return j;
}

}  // namespace

int run_all_accounts(ToolContext& ctx, const AllAccountsRequest& request) {
  std::vector<Account> accounts;
  {
    auto conn = open_database(ctx);
    pqxx::read_transaction t(*conn);
    accounts = list_accounts(t);
  }  // no connection stays open while the accounts run
  const bool route_stdin = request.stdin_by_account && stdin_has_data();
  const auto lines = route_stdin ? stdin_by_account() : std::map<std::string, std::string>{};
  std::vector<AccountCommand> commands;
  for (const Account& a : accounts) {
    if (!request.shard.serves(a.id)) continue;
    AccountCommand c;
    c.account = a.handle;
    c.args = one_account_args(request.argc, request.argv, a.handle);
    if (route_stdin) {
      c.feed_stdin = true;
      for (const std::string& key : {std::string(), a.handle}) {
        const auto it = lines.find(key);
        if (it != lines.end()) c.stdin_text += it->second;
      }
    }
    commands.push_back(std::move(c));
  }
  ctx.log.info("{} accounts, at most {} at once", commands.size(), ctx.common.jobs);

  Progress progress(ctx.tool, "accounts", static_cast<long long>(commands.size()));
  const auto exits = run_per_account(
      commands, ctx.common.jobs,
      [](const std::string& account, const std::string& line) { emit(tagged(account, line)); },
      progress);
  progress.finish();

  std::vector<int> codes;
  long long failed = 0;
  for (const AccountExit& e : exits) {
    codes.push_back(e.exit_code);
    if (e.exit_code == 0) continue;
    ++failed;
    emit({{"account", e.account},
          {"failed", true},
          {"exit_code", e.exit_code},
          {"error", valid_utf8(e.last_error)}});
  }
  ctx.outcome.stats = {{"accounts", accounts.size()}, {"accounts_failed", failed}};
  return worst_exit_code(codes);
}

}  // namespace gl::db
