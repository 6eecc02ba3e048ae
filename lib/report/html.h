// The report as one self-contained HTML page: inline CSS and SVG, no script,
// no network, fluid for a phone, printable. Pure: a Report in, a page out;
// every text from X, the LLM or the database is escaped (report/svg.h).
#pragma once

#include <string>
#include <vector>

#include "report/report_data.h"

namespace gl::report {

// The section ids, in page order: the browser test looks for each.
inline constexpr const char* kSectionIds[] = {"learning-curve", "when-to-post", "what-works",
                                              "followers",      "predictor",    "what-comes-next",
                                              "operations"};

std::string render_html(const Report& r);

// --all-accounts: one line per account, linking to its page, or saying why
// its report failed (`failure`; no page then).
struct IndexEntry {
  std::string handle, file, generated_at;
  long long gated_posts = 0, queued = 0, failing_tools = 0;
  std::string failure;
};
std::string render_index(const std::vector<IndexEntry>& entries, const std::string& generated_at);

}  // namespace gl::report
