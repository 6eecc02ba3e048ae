// Fuzzes the readers of X's exports that import-history streams: the
// archive's data files (window.YTD.<name>.partN = [...], each element read as
// a tweet, a long post's note and an account) with its manifest, and the
// analytics CSVs (either dialect, any header language). The first byte picks
// the reader. A reader may refuse a file (gl::Error, which import-history
// turns into exit 2 naming the file and line), never crash or throw anything else.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "import/analytics_csv.h"
#include "import/archive.h"
#include "import/export_time.h"
#include "import/ytd_reader.h"

namespace {

void read_archive_file(const std::string& body) {
  gl::import::StringSource src(body);
  gl::import::YtdReader reader(src, "fuzz/tweets.js");
  gl::import::YtdElement el;
  while (reader.next(el)) {
    if (el.oversized) continue;
    const auto j = nlohmann::json::parse(el.text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) continue;
    std::string problem;
    gl::import::parse_archive_tweet(j, problem);
    gl::import::parse_archive_note(j, problem);
    gl::import::parse_archive_account(j);
  }
}

void read_csv_file(const std::string& body) {
  gl::import::StringSource src(body);
  gl::import::read_analytics_csv(
      src, "fuzz.csv",
      [](gl::import::AnalyticsRow&& row) {
        // What the import does with a row's id and time.
        gl::import::valid_post_id(row.id);
        gl::import::snowflake_time(row.id);
        gl::import::spreadsheet_mangled(row.id);
      },
      [](long, const std::string&) {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 4) {
      case 0:
        read_archive_file(body);
        break;
      case 1:
        read_csv_file(body);
        break;
      case 2:
        gl::import::manifest_generated_at(body);
        gl::import::manifest_account(body);
        gl::import::is_archive_file(body);
        break;
      default:
        // The single values a row or a file carries.
        gl::import::parse_export_time(body, data[0] & 4);
        gl::import::parse_archive_time(body);
        gl::import::id_from_permalink(body);
        gl::import::decode_entities(body);
        gl::import::truncated_prefix(body);
        break;
    }
  } catch (const gl::Error&) {
  }
  return 0;
}
