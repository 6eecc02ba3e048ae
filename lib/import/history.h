// The account's past as its exports tell it, joined by post id: the
// archive's text, time and reply structure with the analytics' impressions,
// replies, profile visits and follows. Retweets are skipped; a thread (a
// chain of the account's replies to itself) is one post whose later parts
// are its thread_parts; replies to others stay replies.
//
// Memory stays flat in the archive's size: the analytics files (at most
// 1,000 posts each) are held, the archive is read twice as a stream: first
// to check it whole and learn its threads (ids and the texts of thread
// parts), then to hand each post on as it is read. No I/O but reading files.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "import/analytics_csv.h"
#include "import/archive.h"
#include "import/merge.h"
#include "import/report.h"

namespace gl::import {

// A post of the account's past.
struct HistoryPost {
  std::string id;
  TimePoint posted_at;
  std::string text;
  std::string format = "single";  // single, thread, reply
  std::optional<std::string> reply_to;
  std::vector<std::string> thread_parts;
  std::vector<Observation> observations;
};

// The paths given, sorted into archives and analytics files by content.
struct ExportInputs {
  std::vector<ArchiveFiles> archives;
  std::vector<ExportFile> analytics;
};
ExportInputs find_inputs(const std::vector<std::string>& paths, ImportReport& report);

// The analytics files' rows by post id, each with its file's time.
class AnalyticsIndex {
 public:
  // Reads every file; bad rows and unreadable files go to the report.
  AnalyticsIndex(const std::vector<ExportFile>& files, TimePoint now, ImportReport& report);

  // The observations of a post (they are used up: a post is written once).
  std::vector<Observation> take(const std::string& id);
  bool has(const std::string& id) const { return rows_.count(id) > 0; }

  // The posts only the analytics know, grouped by the first file naming
  // them, in file order: what is left once the archives took theirs.
  std::vector<std::vector<std::string>> remaining_by_file() const;
  // Such a post, from its rows; nullopt (with the report told why) when it
  // is skipped.
  std::optional<HistoryPost> analytics_post(const std::string& id, ImportReport& report);

 private:
  struct Entry {
    size_t file;
    AnalyticsRow row;
  };
  std::vector<ExportFile> files_;
  std::vector<TimePoint> as_of_;
  std::unordered_map<std::string, std::vector<Entry>> rows_;
};

// An archive checked whole, with what the second read needs.
struct ArchiveScan {
  ArchiveFiles files;
  std::optional<ArchiveAccount> account;
  TimePoint as_of;  // when the archive was made (manifest), else its files' time
  std::vector<ArchiveNote> notes;
  std::unordered_map<std::string, std::string> next_part;  // a post -> its thread's next part
  std::unordered_map<std::string, std::string> part_text;  // thread parts' texts
  long long tweets = 0;
};

// Reads the archive through once. `handle` and `user_id` are the account's,
// to tell its replies to itself from replies to others. Throws gl::Error
// (exit 2) naming the file and line when a file is malformed or truncated.
ArchiveScan scan_archive(const ArchiveFiles& files, const std::string& handle,
                         const std::string& user_id, TimePoint now, ImportReport& report);

// Reads the archive a second time and hands on each of its posts, joined
// with the analytics' observations of it.
void read_archive(const ArchiveScan& scan, AnalyticsIndex& analytics, ImportReport& report,
                  const std::function<void(HistoryPost&&)>& on_post);

}  // namespace gl::import
