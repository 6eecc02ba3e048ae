// The report tool's run: one account's page (or JSON), or every account's
// pages and an index. Prints one JSON line per page written.
#pragma once

#include <string>

#include "core/cli.h"

namespace gl::report {

struct ReportOptions {
  std::string out;  // FILE.html (one account) or DIR/ (--all-accounts)
  bool all_accounts = false;
  std::string format = "html";  // html | json
};

int run_report(ToolContext& ctx, const ReportOptions& o);

}  // namespace gl::report
