#include "db/all_accounts.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/fan_out.h"
#include "core/json_lines.h"
#include "core/progress.h"
#include "db/accounts.h"
#include "db/connection.h"
#include "db/job_run.h"
#include "db/pg_array.h"

namespace gl::db {

namespace {

// stdin's JSON lines by the account they name (its handle_key; "" for none).
std::map<std::string, std::string> stdin_by_account() {
  std::map<std::string, std::string> by_account;
  if (!stdin_has_data()) return by_account;
  for (const Json& line : read_json_lines(std::cin)) {
    const auto it = line.find("account");
    const std::string account = it != line.end() && it->is_string()
                                    ? handle_key(strip_handle_at(it->get<std::string>()))
                                    : "";
    by_account[account] += line.dump() + "\n";
  }
  return by_account;
}

// A run's stdout line with its account: a JSON object gets "account" (the
// tools' own lines never disagree with it), anything else is wrapped.
Json tagged(const std::string& account, const std::string& line) {
  Json j = Json::parse(line, nullptr, false);
  if (!j.is_object()) j = Json{{"line", valid_utf8(line)}};
  j["account"] = account;
  return j;
}

// Checks a skipped account's configuration as its own run would, and records
// it for monitoring like that run; returns its exit (0, or the check's code).
AccountExit check_skipped(const ToolContext& ctx, const AllAccountsRequest& request,
                          const Account& account, const Json& idle_stats) {
  const std::string& handle = account.handle;
  AccountExit e{handle, 0, ""};
  ::setenv("GROWTHLOOP_ACCOUNT", handle.c_str(), 1);
  try {
    const bool needed = account.posting || !request.config_for_posting_only;
    if (request.check_config && needed) request.check_config();
  } catch (...) {
    const ExceptionReport r = describe_exception();
    e.exit_code = r.exit_code;
    e.last_error = ctx.tool + ": error: " + r.message;
    std::cerr << "@" << handle << ": " << e.last_error << "\n";
  }
  ::unsetenv("GROWTHLOOP_ACCOUNT");
  if (!ctx.common.dry_run) {
    RunMetrics m;
    m.tool = ctx.tool;
    m.account = handle;
    m.exit_code = e.exit_code;
    if (e.exit_code == 0) m.stats = idle_stats;
    write_metrics_if_asked(std::move(m), ctx.log);
  }
  return e;
}

int run_accounts(ToolContext& ctx, const AllAccountsRequest& request,
                 const std::optional<DueAccounts>& due_query) {
  std::vector<Account> accounts;
  std::set<long long> due;
  std::map<long long, std::vector<Json>> idle_output;
  {
    auto conn = open_database(ctx);
    pqxx::read_transaction t(*conn);
    accounts = list_accounts(t);
    if (due_query) {
      for (const auto& r : t.exec_params(due_query->due_sql, format_iso8601(ctx.clock.now())))
        due.insert(r[0].as<long long>());
      if (!due_query->idle_output_sql.empty()) {
        PgArray idle;  // only the skipped accounts' outputs are read
        for (const Account& a : accounts) {
          if (request.shard.serves(a.id) && due.count(a.id) == 0)
            idle.add(std::optional<long long>(a.id));
        }
        for (const auto& r : t.exec_params(due_query->idle_output_sql, idle.str())) {
          const long long id = r[0].as<long long>();
          std::istringstream in(r[1].as<std::string>());
          try {
            idle_output[id] =
                read_json_lines(in, "the stored output of account " + std::to_string(id));
          } catch (const Error& e) {
            // Recomputed rather than lost: the account runs, and stores it anew.
            ctx.log.warn("{}: running it", e.what());
            due.insert(id);
          }
        }
      }
    }
  }  // no connection stays open while the accounts run
  const bool route_stdin = request.stdin_by_account && stdin_has_data();
  const auto lines = route_stdin ? stdin_by_account() : std::map<std::string, std::string>{};
  // A line for an account the database does not have would be dropped unseen.
  for (const auto& [handle, text] : lines) {
    if (handle.empty()) continue;
    const bool known = std::any_of(accounts.begin(), accounts.end(), [&](const Account& a) {
      return handle_key(a.handle) == handle;
    });
    if (!known)
      throw usage_error("stdin", "a line names @" + handle +
                                     ", an account the database does not have: " +
                                     text.substr(0, text.find('\n')));
  }
  std::vector<AccountCommand> commands;
  std::vector<AccountExit> exits;
  long long skipped = 0;
  for (const Account& a : accounts) {
    if (!request.shard.serves(a.id)) continue;
    AccountCommand c;
    c.account = a.handle;
    c.args = one_account_args(request.argc, request.argv, a.handle);
    if (route_stdin) {
      c.feed_stdin = true;
      for (const std::string& key : {std::string(), handle_key(a.handle)}) {
        const auto it = lines.find(key);
        if (it != lines.end()) c.stdin_text += it->second;
      }
    }
    if (due_query && due.count(a.id) == 0 && c.stdin_text.empty()) {
      exits.push_back(check_skipped(ctx, request, a, due_query->idle_stats));
      const auto output = idle_output.find(a.id);
      if (exits.back().exit_code == 0 && output != idle_output.end()) {
        for (Json line : output->second) {
          line["account"] = a.handle;  // read_json_lines gives objects only
          emit(line);
        }
      }
      ++skipped;
      continue;
    }
    commands.push_back(std::move(c));
  }
  if (due_query) {
    ctx.log.info("{} accounts with something due, {} with nothing due; at most {} at once",
                 commands.size(), skipped, ctx.common.jobs);
  } else {
    ctx.log.info("{} accounts, at most {} at once", commands.size(), ctx.common.jobs);
  }

  Progress progress(ctx.tool, "accounts", static_cast<long long>(commands.size()));
  const auto run_in_worker = [&request](const AccountCommand& c) {
    keep_sessions_between_runs();
    return request.run_one(c.args);
  };
  for (AccountExit& e : run_per_account(
           commands, ctx.common.jobs, run_in_worker,
           [](const std::string&account, const std::string&line) { emit(tagged(account, line)); },
           progress))
    exits.push_back(std::move(e));
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
  if (due_query) ctx.outcome.stats["accounts_skipped"] = skipped;
  return worst_exit_code(codes);
}

}  // namespace

int run_all_accounts(ToolContext& ctx, const AllAccountsRequest& request) {
  return run_accounts(ctx, request, std::nullopt);
}

RunAllAccounts run_due_accounts(DueAccounts due) {
  return [due = std::move(due)](ToolContext& ctx, const AllAccountsRequest& request) {
    return run_accounts(ctx, request, due);
  };
}

}  // namespace gl::db
