// accounts: add, list and show the X accounts growthloop runs.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "core/error.h"
#include "core/json_lines.h"
#include "core/number_flags.h"
#include "db/account_sources.h"
#include "db/accounts.h"
#include "db/job_run.h"

int main(int argc, char** argv) {
  gl::db::AccountChange change;
  std::string x_user_id, timezone, show_handle;
  std::vector<std::string> topics;
  bool clear_topics = false;
  std::string hours;
  CLI::Option* hours_flag = nullptr;
  std::string pooling;
  CLI::Option* pooling_flag = nullptr;
  std::string posting;
  CLI::Option* posting_flag = nullptr;
  CLI::App* add = nullptr;
  CLI::App* list = nullptr;
  CLI::App* show = nullptr;
  CLI::App* peers = nullptr;
  CLI::App* harvest = nullptr;
  std::string peers_action;
  std::vector<std::string> peer_args;
  std::string harvest_handle, language;
  std::vector<long long> woeids;
  double daily_usd = 0, monthly_usd = 0;
  CLI::Option* daily_flag = nullptr;
  CLI::Option* monthly_flag = nullptr;
  CLI::Option* language_flag = nullptr;
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
        pooling_flag = add->add_option("--pooling", pooling,
                                       "on: its plans start from what the database's other "
                                       "pooling accounts learned, and theirs from its; off: "
                                       "neither (the default: accounts of different owners)")
                           ->check(CLI::IsMember({"on", "off"}));
        posting_flag = add->add_option("--posting", posting,
                                       "off: plan-post and publish do nothing for it (its queued "
                                       "posts fail as missed once past their slot) while "
                                       "scrape-metrics and the learners go on; on: the default")
                           ->check(CLI::IsMember({"on", "off"}));
        list = app.add_subcommand("list", "list all accounts, one JSON object per line");
        show = app.add_subcommand("show", "show one account");
        show->add_option("handle", show_handle, "X handle")->required();
        peers = app.add_subcommand("peers",
                                   "add|remove|list HANDLE [PEER...]: the accounts "
                                   "harvest reads the posts of");
        peers->add_option("action", peers_action, "add, remove or list")
            ->required()
            ->check(CLI::IsMember({"add", "remove", "list"}));
        peers->add_option("handle_and_peers", peer_args, "the account's handle, then peers")
            ->required();
        harvest = app.add_subcommand("harvest", "show or change what harvest reads and spends");
        harvest->add_option("handle", harvest_handle, "X handle")->required();
        harvest->add_option("--woeid", woeids, "a place whose trends to read (repeat; 1 = world)");
        language_flag = harvest->add_option("--language", language, "ISO 639 language of posts");
        daily_flag =
            harvest->add_option("--daily-budget-usd", daily_usd, "X spend a day, all tools")
                ->check(gl::real_in(0, 100000));
        monthly_flag =
            harvest->add_option("--monthly-budget-usd", monthly_usd, "X spend a month, all tools")
                ->check(gl::real_in(0, 1000000));
      },
      [&](gl::ToolContext& ctx) {
        if (!add->parsed() && !list->parsed() && !show->parsed() && !peers->parsed() &&
            !harvest->parsed()) {
          throw gl::usage_error("accounts",
                                "a subcommand is required: add, list, show, peers or harvest");
        }
        auto conn = gl::db::open_database(ctx);
        // Every change is one transaction, committed unless this is a dry run: a dry run
        // prints what the change would make and leaves the database as it was.
        pqxx::work w(*conn);
        const auto done = [&] {
          if (!ctx.common.dry_run) w.commit();
          return 0;
        };
        if (peers->parsed() || harvest->parsed()) {
          const std::string handle = peers->parsed() ? peer_args[0] : harvest_handle;
          auto a = gl::db::find_account(w, handle);
          if (!a) throw gl::usage_error("account @" + handle, "not found");
          if (harvest->parsed()) {
            gl::db::HarvestSettingsChange c;
            if (!woeids.empty()) c.woeids = woeids;
            if (language_flag->count() > 0) c.language = language;
            if (daily_flag->count() > 0) c.daily_budget_usd = daily_usd;
            if (monthly_flag->count() > 0) c.monthly_budget_usd = monthly_usd;
            auto out =
                gl::db::to_json(gl::db::update_harvest_settings(w, a->id, c, ctx.clock.now()));
            out["account"] = a->handle;
            gl::emit(out);
            return done();
          }
          const std::vector<std::string> names(peer_args.begin() + 1, peer_args.end());
          if (peers_action != "list" && names.empty())
            throw gl::usage_error("accounts peers " + peers_action, "name at least one peer");
          if (peers_action == "add") gl::db::add_peers(w, a->id, names, ctx.clock.now());
          if (peers_action == "remove") gl::db::remove_peers(w, a->id, names);
          for (const auto& p : gl::db::list_peers(w, a->id)) {
            auto j = gl::db::to_json(p);
            j["account"] = a->handle;
            gl::emit(j);
          }
          return done();
        }
        if (add->parsed()) {
          // Given at all, a flag's value counts: an empty one is an error, not the default.
          if (user_id_flag->count() > 0) change.x_user_id = x_user_id;
          if (timezone_flag->count() > 0) change.timezone = timezone;
          if (hours_flag->count() > 0) change.posting_hours = hours;
          if (pooling_flag->count() > 0) change.pooling = pooling == "on";
          if (posting_flag->count() > 0) change.posting = posting == "on";
          if (!topics.empty() || clear_topics)
            change.topics = clear_topics ? std::vector<std::string>{} : topics;
          gl::emit(gl::db::to_json(gl::db::upsert_account(w, change, ctx.clock.now())));
        } else if (list->parsed()) {
          for (const auto& a : gl::db::list_accounts(w)) gl::emit(gl::db::to_json(a));
        } else if (show->parsed()) {
          auto a = gl::db::find_account(w, show_handle);
          if (!a) throw gl::usage_error("account @" + show_handle, "not found");
          gl::emit(gl::db::to_json(*a));
        }
        return done();
      });
}
