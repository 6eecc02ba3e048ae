// usage: what growthloop's calls to X cost, per account, UTC day, tool,
// endpoint and kind of resource (api_usage), as JSON lines or a table.
#include <CLI/CLI.hpp>

#include "core/cli.h"
#include "core/number_flags.h"
#include "jobs/usage.h"

int main(int argc, char** argv) {
  gl::jobs::UsageOptions options;
  gl::ToolSpec spec{"usage", "Report the X API spend recorded in api_usage."};
  return gl::run_tool(
      spec, argc, argv,
      [&](CLI::App& app) {
        app.add_option("--days", options.days, "the clock's UTC day and this many-1 before it")
            ->check(gl::whole_in(1, 3660));
      },
      [&](gl::ToolContext& ctx) {
        options.account = ctx.common.account;
        return gl::jobs::run_usage(ctx, options);
      });
}
