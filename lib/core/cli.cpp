#include "core/cli.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <pqxx/pqxx>

#include "core/error.h"
#include "core/fan_out.h"
#include "core/metrics.h"
#include "core/number_flags.h"
#include "core/redact.h"
#include "core/secrets.h"
#include "core/version.h"

namespace gl {

ExceptionReport describe_exception() {
  try {
    throw;
  } catch (const Error& e) {
    return {e.exit_code(), redact_credentials(e.what())};
  } catch (const pqxx::broken_connection& e) {
    return {
        kExitTempFail,
        redact_credentials(std::string("database: connection lost or refused (") + e.what() + ")")};
  } catch (const pqxx::sql_error& e) {
    const std::string state = e.sqlstate();
    const int code = sqlstate_exit_code(state);
    std::string what = e.what();
    while (!what.empty() && (what.back() == '\n' || what.back() == ' ')) what.pop_back();
    if (state == "57014") what = "statement timeout (DB_STATEMENT_TIMEOUT_MS): " + what;
    if (state == "55P03") what = "lock timeout (DB_LOCK_TIMEOUT_MS): " + what;
    return {code,
            redact_credentials("database: " + what + (state.empty() ? "" : " [" + state + "]") +
                               (code == kExitTempFail ? "; try again later" : ""))};
  } catch (const std::exception& e) {
    return {kExitFailure, redact_credentials(e.what())};
  } catch (...) {
    return {kExitFailure, "unknown failure"};
  }
}

int report_exception(const std::string& tool) {
  const ExceptionReport report = describe_exception();
  Log(tool, 0).error(report.message);
  return report.exit_code;
}

int sqlstate_exit_code(const std::string& state) {
  // Class 08 (connection), 57P (shutdown), 53 (insufficient resources),
  // 40001/40P01 (serialization, deadlock), 55P03 (lock timeout) and 57014
  // (statement timeout or cancel) are what time cures.
  if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state.rfind("53", 0) == 0 ||
      state == "55P03" || state == "57014" || state == "40001" || state == "40P01") {
    return kExitTempFail;
  }
  return kExitFailure;
}

std::string strip_handle_at(const std::string& handle) {
  return !handle.empty() && handle[0] == '@' ? handle.substr(1) : handle;
}

std::string handle_key(std::string handle) {
  for (char& c : handle) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return handle;
}

void write_metrics_if_asked(RunMetrics m, const Log& log) {
  const auto dir = env_setting("GROWTHLOOP_METRICS_DIR");
  if (!dir) return;
  m.finished_unix =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  try {
    write_run_metrics(*dir, m);
  } catch (...) {
    log.warn("{}", describe_exception().message);
  }
}

namespace {

void write_run_metrics_if_asked(const ToolContext& ctx, int code,
                                std::chrono::steady_clock::duration took) {
  RunMetrics m;
  m.tool = ctx.tool;
  m.account = ctx.outcome.account;
  m.exit_code = code;
  m.duration_seconds = std::chrono::duration<double>(took).count();
  m.stats = ctx.outcome.stats;
  write_metrics_if_asked(std::move(m), ctx.log);
}

}  // namespace

int run_tool(const ToolSpec& spec, int argc, char** argv, const DefineFlags& define,
             const RunTool& run) {
  CLI::App app(spec.description, spec.name);
  ToolContext ctx{spec.name, {}, Clock(), Log(spec.name, 0), {}, nullptr};
  CommonOptions& o = ctx.common;
  std::string shard_text;
  app.set_version_flag("--version", std::string(spec.name) + " (growthloop) " + kVersion);
  if (spec.uses_database) {
    app.add_option(
        "--db", o.db,
        "PostgreSQL connection string (default: DATABASE_URL, else libpq's PG* variables)");
  }
  if (spec.takes_account) {
    app.add_option("--account", o.account,
                   "account handle (optional when the database holds one account)");
  }
  if (spec.takes_account || spec.uses_database) {
    app.add_flag("--dry-run", o.dry_run,
                 "do everything but write or post; print what would be done");
  }
  if (spec.takes_account && spec.all_accounts) {
    CLI::Option* all = app.add_flag("--all-accounts", o.all_accounts,
                                    "run for every account of the database, in -j N workers that "
                                    "run account after account; stdout lines carry \"account\"");
    all->excludes("--account");
    app.add_option("-j,--jobs", o.jobs, "with --all-accounts: at most N accounts at once")
        ->check(whole_in(1, 64))
        ->needs(all);
    app.add_option("--shard", shard_text,
                   "with --all-accounts: I/N, only the accounts whose account_id mod N is I-1 "
                   "(one of N hosts)")
        ->needs(all);
  }
  CLI::Option* now_flag =
      app.add_option("--now", o.now_text,
                     std::string("ISO 8601 time to use as now (default: the system clock), e.g. "
                                 "2026-11-24T10:00:00Z; from ") +
                         kEarliestTime + " to " + kLatestTime);
  app.add_flag("-v,--verbose", o.verbosity, "log progress to stderr (-vv for more)");
  if (define) define(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: error: %s\nRun with --help for usage.\n", spec.name.c_str(),
                 e.what());
    return kExitUsage;
  }

  ctx.log = Log(spec.name, o.verbosity);
  const auto started = std::chrono::steady_clock::now();
  int code = kExitFailure;
  try {
    // Given at all, --now must be a time: an empty value is not "the system clock".
    if (now_flag->count() > 0) ctx.clock = Clock(parse_now_flag(o.now_text));
    const Shard shard = shard_text.empty() ? Shard{} : parse_shard(shard_text);
    // Secrets' {account} (core/secrets.h) is this run's account, never an outer one.
    if (!o.account.empty()) {
      ::setenv("GROWTHLOOP_ACCOUNT", strip_handle_at(o.account).c_str(), 1);
    } else {
      ::unsetenv("GROWTHLOOP_ACCOUNT");
    }
    if (o.all_accounts) {
      ctx.outcome.account = "*";
      const auto run_one = [&](const std::vector<std::string>& args) {
        std::vector<char*> one_argv;
        for (const std::string& a : args) one_argv.push_back(const_cast<char*>(a.c_str()));
        one_argv.push_back(nullptr);
        return run_tool(spec, static_cast<int>(args.size()), one_argv.data(), define, run);
      };
      code = spec.all_accounts(ctx, {argc, argv, spec.stdin_by_account, shard, spec.check_config,
                                     spec.config_for_posting_only, run_one});
    } else {
      // Known before the configuration is checked: a run stopped there is that account's.
      ctx.outcome.account = strip_handle_at(o.account);
      if (spec.config_for_posting_only) {
        ctx.posting_config_check = spec.check_config;
      } else if (spec.check_config) {
        spec.check_config();
      }
      code = run(ctx);
    }
  } catch (...) {
    code = report_exception(spec.name);
  }
  if (!o.dry_run) write_run_metrics_if_asked(ctx, code, std::chrono::steady_clock::now() - started);
  return code;
}

}  // namespace gl
