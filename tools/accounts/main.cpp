// accounts: add, list and show the X accounts growthloop runs.
#include "core/cli.h"
#include "core/error.h"
#include "core/json_lines.h"
#include "db/accounts.h"
#include "db/job_run.h"

int main(int argc, char** argv) {
  gl::db::AccountChange change;
  std::string x_user_id, timezone, show_handle;
  std::vector<std::string> topics;
  bool clear_topics = false;
  std::string hours;
  CLI::Option* hours_flag = nullptr;
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::Option* user_id_flag = nullptr;
  CLI::Option* timezone_flag = nullptr;
  return gl::run_tool(
      {"accounts", "Add, list and show the X accounts growthloop runs.", false}, argc, argv,
      [&](CLI::App& app) {
        // At most one subcommand; none is checked after parsing, so an unknown
        // flag or subcommand gets CLI11's own message rather than "a subcommand is required".
        app.require_subcommand(0, 1);
        app.fallthrough();
        add = app.add_subcommand("add", "add an account, or update it when the handle exists");
        add->add_option("handle", change.handle, "X handle, with or without @")->required();
        user_id_flag = add->add_option("--x-user-id", x_user_id, "the account's numeric X user id");
        timezone_flag = add->add_option("--timezone", timezone,
                                        "IANA time zone for posting hours (default UTC)");
        add->add_option("--topic", topics,
                        "a topic the account writes about (repeat; replaces the list)");
        add->add_flag("--clear-topics", clear_topics, "empty the account's topic list");
        hours_flag = add->add_option("--hours", hours,
                                     "local hours it posts in, FROM-TO, both included "
                                     "(default 7-23; 22-2 wraps past midnight)");
        list = app.add_subcommand("list", "list all accounts, one JSON object per line");
        show = app.add_subcommand("show", "show one account");
        show->add_option("handle", show_handle, "X handle")->required();
      },
      [&](gl::ToolContext& ctx) {
        if (!add->parsed() && !list->parsed() && !show->parsed()) {
          throw gl::usage_error("accounts", "a subcommand is required: add, list or show");
        }
        auto conn = gl::db::open_database(ctx);
        if (add->parsed()) {
          // Given at all, a flag's value counts: an empty one is an error, not the default.
          if (user_id_flag->count() > 0) change.x_user_id = x_user_id;
          if (timezone_flag->count() > 0) change.timezone = timezone;
          if (hours_flag->count() > 0) change.posting_hours = hours;
          if (!topics.empty() || clear_topics)
            change.topics = clear_topics ? std::vector<std::string>{} : topics;
          gl::emit(gl::db::to_json(gl::db::upsert_account(*conn, change, ctx.clock.now())));
        } else if (list->parsed()) {
          pqxx::read_transaction t(*conn);
          for (const auto& a : gl::db::list_accounts(t)) gl::emit(gl::db::to_json(a));
        } else if (show->parsed()) {
          pqxx::read_transaction t(*conn);
          auto a = gl::db::find_account(t, show_handle);
          if (!a) throw gl::usage_error("account @" + show_handle, "not found");
          gl::emit(gl::db::to_json(*a));
        }
        return 0;
      });
}
