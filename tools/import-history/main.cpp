// import-history: starts the account from its past. Reads X's account archive
// (zip or folder) and analytics CSVs, joins them by post id and writes each
// past post as history, its metrics through scrape-metrics' four-table write.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "core/error.h"
#include "db/job_run.h"
#include "jobs/import_history.h"

int main(int argc, char** argv) {
  gl::jobs::ImportOptions options;
  std::string since;
  return gl::run_tool(
      {"import-history",
       "Import the account's past posts from its X archive and analytics exports."},
      argc, argv,
      [&](CLI::App& app) {
        app.add_option("paths", options.paths,
                       "archive zips or folders and analytics CSV files, in any order")
            ->required();
        app.add_option("--since", since, "only posts posted at or after this ISO 8601 time");
        app.add_flag("--strict", options.strict,
                     "write nothing when any file or row is bad (default: skip and report them)");
      },
      [&](gl::ToolContext& ctx) {
        if (!since.empty()) {
          options.since = gl::parse_iso8601(since);
          if (!options.since)
            throw gl::usage_error("--since", "\"" + since + "\" is not an ISO 8601 time");
        }
        return gl::db::run_for_account(
            ctx, [&](gl::db::AccountRun& run) { return gl::jobs::import_history(run, options); });
      });
}
