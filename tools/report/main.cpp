// report: one self-contained HTML page per account (learning curve, when to
// post, what works, followers, predictor, queue, operations), or the same data
// as JSON. Reads only; see lib/report.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "report/report.h"

int main(int argc, char** argv) {
  gl::report::ReportOptions o;
  return gl::run_tool(
      {"report", "Write the account's HTML report: is it learning, what works, what comes next."},
      argc, argv,
      [&](CLI::App& app) {
        app.add_option("--out", o.out,
                       "the HTML file to write (a folder with --all-accounts); JSON without it "
                       "goes to stdout");
        app.add_flag("--all-accounts", o.all_accounts,
                     "a page per account and index.html in the --out folder");
        app.add_option("--format", o.format, "html (default) or json");
      },
      [&](gl::ToolContext& ctx) { return gl::report::run_report(ctx, o); });
}
