#include "core/cli.h"

#include <cstdio>
#include <iostream>
#include <pqxx/pqxx>

#include "core/error.h"
#include "core/version.h"

namespace gl {

int report_exception(const std::string& tool) {
  Log log(tool, 0);
  try {
    throw;
  } catch (const Error& e) {
    log.error(e.what());
    return e.exit_code();
  } catch (const pqxx::broken_connection& e) {
    log.error(std::string("database: connection lost or refused (") + e.what() + ")");
    return kExitTempFail;
  } catch (const pqxx::sql_error& e) {
    // SQLSTATE class 08 (connection) and 57P (shutdown) are worth retrying later.
    const std::string state = e.sqlstate();
    log.error("database: " + std::string(e.what()) + (state.empty() ? "" : " [" + state + "]"));
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0 || state == "55P03") {
      return kExitTempFail;
    }
    return kExitFailure;
  } catch (const std::exception& e) {
    log.error(e.what());
    return kExitFailure;
  } catch (...) {
    log.error("unknown failure");
    return kExitFailure;
  }
}

int run_tool(const ToolSpec& spec, int argc, char** argv, const DefineFlags& define,
             const RunTool& run) {
  CLI::App app(spec.description, spec.name);
  ToolContext ctx{spec.name, {}, Clock(), Log(spec.name, 0)};
  CommonOptions& o = ctx.common;
  app.set_version_flag("--version", std::string(spec.name) + " (growthloop) " + kVersion);
  if (spec.uses_database) {
    app.add_option(
        "--db", o.db,
        "PostgreSQL connection string (default: DATABASE_URL, else libpq's PG* variables)");
  }
  if (spec.takes_account) {
    app.add_option("--account", o.account,
                   "account handle (optional when the database holds one account)");
    app.add_flag("--dry-run", o.dry_run,
                 "do everything but write or post; print what would be done");
  }
  app.add_option(
      "--now", o.now_text,
      "ISO 8601 time to use as now (default: the system clock), e.g. 2026-11-24T10:00:00Z");
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
  try {
    if (!o.now_text.empty()) {
      auto t = parse_iso8601(o.now_text);
      if (!t) throw usage_error("--now", "\"" + o.now_text + "\" is not an ISO 8601 time");
      ctx.clock = Clock(*t);
    }
    return run(ctx);
  } catch (...) {
    return report_exception(spec.name);
  }
}

}  // namespace gl
