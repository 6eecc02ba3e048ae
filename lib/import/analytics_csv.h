// X's analytics exports, CSV, recognised by their header row:
//   current  (account_analytics_content_*): Post id, Date, Post text, Post Link,
//            Impressions, Likes, Engagements, Bookmarks, Shares, New follows,
//            Replies, Reposts, Profile visits, ... (Date often without a time)
//   legacy   (tweet_activity_metrics_*): Tweet id, Tweet permalink, Tweet text,
//            time, impressions, engagements, engagement rate, retweets,
//            replies, likes ("favorites" in older files), user profile
//            clicks, url clicks, ..., follows, ..., promoted copies
// with headers in English, Spanish, French, German, Japanese or Portuguese.
// Read as a stream, a row at a time; a row longer than kMaxRowBytes is
// skipped and reported, never held.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "import/byte_source.h"
#include "import/export_time.h"
#include "learn/post_counts.h"

namespace gl::import {

inline constexpr size_t kMaxRowBytes = 1u << 20;

// The columns growthloop reads; every other column is read past.
enum class Column {
  kId,
  kPermalink,
  kText,
  kTime,
  kImpressions,
  kLikes,
  kRetweets,
  kReplies,
  kBookmarks,
  kProfileClicks,
  kUrlClicks,
  kFollows,
};

struct AnalyticsHeader {
  std::string dialect;   // "current" or "legacy"
  std::string language;  // en, es, fr, de, ja, pt
  std::map<Column, size_t> columns;
  std::vector<std::string> ignored;  // the header cells read past
  bool day_first = false;            // numeric dates are day/month/year
};

// Recognises an analytics export's header row; nullopt, saying why in
// `problem`, when it is none.
std::optional<AnalyticsHeader> recognise_header(const std::vector<std::string>& cells,
                                                std::string& problem);

// The metric columns' names, as summaries print them.
const char* column_name(Column c);

struct AnalyticsRow {
  long line = 0;
  std::string id;
  std::string text;
  std::optional<ExportTime> time;  // as the row gives it; may lack the time of day
  learn::PostCounts counts;
  std::optional<long long> follows;
};

// One CSV record: its cells and the line it starts on. `problem` is set when
// the record cannot be read whole (too long, a quote left open at the end).
struct CsvRecord {
  std::vector<std::string> cells;
  long line = 0;
  std::string problem;
};

// RFC 4180 records (quoted fields, "" escapes, line breaks inside quotes),
// with the delimiter (',', ';' or tab) guessed from the first line.
class CsvReader {
 public:
  explicit CsvReader(ByteSource& src);
  bool next(CsvRecord& out);  // false at the end

 private:
  ByteStream in_;
  char delimiter_ = ',';
};

// Reads an analytics export: recognises its header, then gives each row that
// reads to on_row and each that does not to on_problem (line, reason).
// Throws gl::Error (exit 2, subject `label`) when the file is no analytics
// export we know.
AnalyticsHeader read_analytics_csv(ByteSource& src, const std::string& label,
                                   const std::function<void(AnalyticsRow&&)>& on_row,
                                   const std::function<void(long, const std::string&)>& on_problem);

}  // namespace gl::import
