#include "import/history.h"

#include <algorithm>
#include <filesystem>
#include <unordered_set>

#include "core/cli.h"
#include "core/error.h"
#include "import/export_time.h"
#include "import/ytd_reader.h"
#include "learn/text_features.h"
#include "x/tweet_text.h"

namespace gl::import {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr size_t kMaxManifestBytes = 1u << 20;
constexpr size_t kMaxThreadParts = 1000;
// A long post's note is made with the post: within this many seconds.
constexpr auto kNoteWindow = std::chrono::seconds(120);

TimePoint from_mtime(std::time_t t) { return std::chrono::system_clock::from_time_t(t); }

// When an export was made, as far as it tells: never after `now`.
TimePoint export_time(std::optional<TimePoint> t, TimePoint now) {
  if (!t || *t > now) return now;
  return *t;
}

// A text X would not take as a post, which content_metadata refuses too.
bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n\v\f") == std::string::npos;
}

// A NUL (JSON's \u0000) ends a text in PostgreSQL; X takes no post holding one.
bool has_nul(const std::string& text) { return text.find('\0') != std::string::npos; }

bool looks_like_analytics(const ExportFile& f) {
  const std::string head = head_of(f, 8192);
  if (head.find('\0') != std::string::npos) return false;
  StringSource src(head);
  CsvReader csv(src);
  CsvRecord rec;
  std::string why;
  return csv.next(rec) && rec.problem.empty() && recognise_header(rec.cells, why).has_value();
}

// Parses an element of a data file; nullopt (the report told) when it is not JSON.
std::optional<json> element_json(const YtdElement& el, const std::string& label,
                                 ImportReport* report) {
  if (el.oversized) {
    if (report) {
      report->bad_row(label, el.line,
                      "element larger than " + std::to_string(kMaxElementBytes >> 20) + " MiB");
    }
    return std::nullopt;
  }
  try {
    return json::parse(el.text);
  } catch (const json::exception& e) {
    if (report) {
      report->bad_row(
          label, el.line,
          x::valid_utf8(el.text) ? "not valid JSON: " + printable(e.what(), 120) : "invalid UTF-8");
    }
    return std::nullopt;
  }
}

// Calls each(element, file label, line) for every element of `files` that is
// JSON; the report, when there is one, is told of the others.
template <typename Each>
void for_each_element(const std::vector<ExportFile>& files, ImportReport* report, Each each) {
  for (const auto& f : files) {
    auto src = open_file(f);
    YtdReader r(*src, f.label);
    YtdElement el;
    while (r.next(el)) {
      if (const auto j = element_json(el, f.label, report)) each(*j, f.label, el.line);
    }
  }
}

std::string read_whole(const ExportFile& f, size_t max) {
  auto src = open_file(f);
  std::string out(max, '\0');
  size_t got = 0;
  while (got < max) {
    const size_t k = src->read(out.data() + got, max - got);
    if (k == 0) break;
    got += k;
  }
  out.resize(got);
  return out;
}

// The post ids an archive read has met: a digit string of at most 19 digits
// (valid_post_id) is its value and its length, 16 bytes instead of a string's
// 32 and a heap block, so the set of a 100,000-post archive is a few MB.
class PostIdSet {
 public:
  bool insert(const std::string& id) { return ids_.insert(key(id)).second; }
  bool contains(const std::string& id) const {
    return valid_post_id(id) && ids_.count(key(id)) > 0;
  }

 private:
  using Key = std::pair<unsigned long long, size_t>;
  struct Hash {
    size_t operator()(const Key& k) const {
      return std::hash<unsigned long long>()(k.first) ^ k.second;
    }
  };
  static Key key(const std::string& id) { return {std::stoull(id), id.size()}; }
  std::unordered_set<Key, Hash> ids_;
};

}  // namespace

ExportInputs find_inputs(const std::vector<std::string>& paths, ImportReport& report) {
  ExportInputs in;
  std::map<std::string, std::vector<ExportFile>> loose;  // archive data files by folder
  const auto add_collection = [&](const std::string& label, const std::vector<ExportFile>& files) {
    ArchiveFiles a = sort_archive_files(label, files);
    bool found = !a.tweets.empty();
    if (found) in.archives.push_back(std::move(a));
    for (const auto& f : files) {
      if (is_archive_file(head_of(f, 64)) || !looks_like_analytics(f)) continue;
      in.analytics.push_back(f);
      found = true;
    }
    if (!found) report.bad_file(label, "holds no X archive posts and no analytics export");
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      report.bad_file(path, "no such file or folder");
      continue;
    }
    try {
      if (fs::is_directory(path, ec)) {
        add_collection(path, folder_files(path));
      } else if (is_zip(path)) {
        add_collection(path, zip_entries(path));
      } else {
        ExportFile f = plain_file(path);
        if (is_archive_file(head_of(f, 64))) {
          loose[fs::path(path).parent_path().string()].push_back(f);
        } else {
          in.analytics.push_back(f);  // recognised (or not) when read
        }
      }
    } catch (const Error& e) {
      report.bad_file(path, e.reason());
    }
  }
  for (const auto& [folder, files] : loose) {
    ArchiveFiles a = sort_archive_files(folder.empty() ? "." : folder, files);
    if (a.tweets.empty()) {
      report.bad_file(a.label,
                      "archive files without tweets.js (give the archive's tweets file too)");
      continue;
    }
    in.archives.push_back(std::move(a));
  }
  return in;
}

AnalyticsIndex::AnalyticsIndex(const std::vector<ExportFile>& files, TimePoint now,
                               ImportReport& report)
    : files_(files) {
  for (size_t i = 0; i < files_.size(); ++i) {
    const ExportFile& f = files_[i];
    const TimePoint as_of =
        export_time(f.mtime ? std::optional(from_mtime(f.mtime)) : std::nullopt, now);
    as_of_.push_back(as_of);
    long long rows = 0;
    const auto on_row = [&](AnalyticsRow&& row) {
      ++rows;
      auto& entries = rows_[row.id];
      for (auto& e : entries) {
        if (e.file != i) continue;
        if (same_counts(e.row.counts, row.counts) && e.row.follows == row.follows) {
          report.skip("duplicate_row");
          return;
        }
        // The same post twice in one file with other numbers: counters only
        // grow, so the larger reading is the later one.
        const auto imp = [](const AnalyticsRow& r) { return r.counts.impressions.value_or(-1); };
        const auto likes = [](const AnalyticsRow& r) { return r.counts.likes.value_or(-1); };
        const bool larger =
            imp(row) > imp(e.row) || (imp(row) == imp(e.row) && likes(row) > likes(e.row));
        const long dropped = larger ? e.row.line : row.line;
        const long kept = larger ? row.line : e.row.line;
        report.bad_row(f.label, dropped,
                       "post " + row.id + " appears again at line " + std::to_string(kept) +
                           " with other numbers; the larger ones are kept");
        if (larger) e.row = std::move(row);
        return;
      }
      entries.push_back({i, std::move(row)});
    };
    const auto on_problem = [&](long line, const std::string& reason) {
      report.bad_row(f.label, line, reason);
    };
    try {
      auto src = open_file(f);
      const AnalyticsHeader h = read_analytics_csv(*src, f.label, on_row, on_problem);
      json columns = json::array();
      for (const auto& [c, index] : h.columns) columns.push_back(column_name(c));
      report.add_file({{"file", printable(f.label)},
                       {"kind", "analytics"},
                       {"dialect", h.dialect},
                       {"language", h.language},
                       {"rows", rows},
                       {"columns", columns},
                       {"as_of", format_iso8601(as_of)}});
    } catch (const Error& e) {
      report.bad_file(f.label, e.reason());
    }
  }
}

std::vector<Observation> AnalyticsIndex::take(const std::string& id) {
  std::vector<Observation> out;
  const auto it = rows_.find(id);
  if (it == rows_.end()) return out;
  for (const auto& e : it->second) out.push_back({as_of_[e.file], e.row.counts, e.row.follows});
  rows_.erase(it);
  return out;
}

std::vector<std::vector<std::string>> AnalyticsIndex::remaining_by_file() const {
  std::vector<std::vector<std::pair<long, std::string>>> by_file(files_.size());
  for (const auto& [id, entries] : rows_) {
    const Entry* first = &entries.front();
    for (const auto& e : entries) {
      if (e.file < first->file) first = &e;
    }
    by_file[first->file].push_back({first->row.line, id});
  }
  std::vector<std::vector<std::string>> out(files_.size());
  for (size_t i = 0; i < by_file.size(); ++i) {
    std::sort(by_file[i].begin(), by_file[i].end());
    for (auto& [line, id] : by_file[i]) out[i].push_back(std::move(id));
  }
  return out;
}

std::optional<HistoryPost> AnalyticsIndex::analytics_post(const std::string& id,
                                                          ImportReport& report) {
  const auto it = rows_.find(id);
  if (it == rows_.end()) return std::nullopt;
  const std::vector<Entry> entries = std::move(it->second);
  rows_.erase(it);
  report.read_post();
  const Entry& first = entries.front();
  HistoryPost p;
  p.id = id;
  for (const auto& e : entries) {
    if (p.text.empty()) p.text = e.row.text;
  }
  // The posting time: a row that names it, else the id's own time when it
  // falls on the row's date (the current export gives a date only).
  std::optional<TimePoint> at;
  std::optional<TimePoint> day;
  for (const auto& e : entries) {
    if (e.row.time && e.row.time->has_time && !at) at = e.row.time->at;
    if (e.row.time && !e.row.time->has_time && !day) day = e.row.time->at;
  }
  const auto snowflake = snowflake_time(id);
  if (!at && snowflake) {
    const auto off = day ? *snowflake - (*day + std::chrono::hours(12)) : std::chrono::hours(0);
    if (std::chrono::abs(off) <= std::chrono::hours(36)) at = snowflake;
  }
  const std::string& label = files_[first.file].label;
  if (!at) {
    report.bad_row(label, first.row.line,
                   "post " + id + ": no posting time (" +
                       (day ? "the date " + format_iso8601(*day).substr(0, 10) +
                                  " has no time of day and the id does not carry one"
                            : std::string("no time column and the id does not carry one")) +
                       ")");
    return std::nullopt;
  }
  p.posted_at = *at;
  if (p.text.rfind("RT @", 0) == 0) {
    report.skip("retweet");
    return std::nullopt;
  }
  if (blank(p.text)) {
    report.skip("no_text");
    return std::nullopt;
  }
  if (has_nul(p.text)) {
    report.skip("nul_in_text");
    return std::nullopt;
  }
  // A reply names its parent's author first; the export does not name the parent.
  if (p.text[0] == '@') p.format = "reply";
  for (const auto& e : entries) {
    p.observations.push_back({std::max(as_of_[e.file], p.posted_at), e.row.counts, e.row.follows});
  }
  return p;
}

ArchiveScan scan_archive(const ArchiveFiles& files, const std::string& handle,
                         const std::string& user_id, TimePoint now, ImportReport& report) {
  ArchiveScan s;
  s.files = files;
  if (files.account) {
    auto src = open_file(*files.account);
    YtdReader r(*src, files.account->label);
    YtdElement el;
    while (!s.account && r.next(el)) {
      if (const auto j = element_json(el, files.account->label, &report))
        s.account = parse_archive_account(*j);
    }
  }
  std::optional<TimePoint> generated;
  if (files.manifest) {
    const std::string text = read_whole(*files.manifest, kMaxManifestBytes);
    generated = manifest_generated_at(text);
    if (!s.account) s.account = manifest_account(text);
  }
  if (!generated) {
    std::time_t newest = 0;
    for (const auto& f : files.tweets) newest = std::max(newest, f.mtime);
    if (newest) generated = from_mtime(newest);
  }
  s.as_of = export_time(generated, now);

  for_each_element(files.notes, &report, [&](const json& j, const std::string& label, long line) {
    std::string problem;
    if (auto note = parse_archive_note(j, problem)) {
      s.notes.push_back(std::move(*note));
    } else {
      report.bad_row(label, line, problem);
    }
  });

  // The account's replies to itself, to find its threads.
  const std::string self_id =
      s.account && !s.account->user_id.empty() ? s.account->user_id : user_id;
  const auto is_self = [&](const ArchiveTweet& t) {
    if (!self_id.empty() && t.reply_to_user_id) return *t.reply_to_user_id == self_id;
    return t.reply_to_handle &&
           (handle_key(*t.reply_to_handle) == handle_key(handle) ||
            (s.account && handle_key(*t.reply_to_handle) == handle_key(s.account->handle)));
  };
  struct SelfReply {
    TimePoint at;
    std::string id, parent, text;
  };
  std::vector<SelfReply> self_replies;
  PostIdSet ids;
  for_each_element(files.tweets, &report, [&](const json& j, const std::string& label, long line) {
    std::string problem;
    const auto t = parse_archive_tweet(j, problem);
    if (!t) {
      report.bad_row(label, line, problem);
      return;
    }
    if (!ids.insert(t->id)) return;
    ++s.tweets;
    if (!t->retweet && t->reply_to_id && is_self(*t))
      self_replies.push_back({t->created_at, t->id, *t->reply_to_id, t->text});
  });
  // A post's thread continues with its earliest reply to itself.
  std::sort(self_replies.begin(), self_replies.end(),
            [](const SelfReply& a, const SelfReply& b) { return a.at < b.at; });
  for (auto& r : self_replies) {
    if (!ids.contains(r.parent) || s.next_part.count(r.parent)) continue;
    s.next_part[r.parent] = r.id;
    s.part_text[r.id] = std::move(r.text);
  }
  report.add_file({{"file", printable(files.label)},
                   {"kind", "archive"},
                   {"account", s.account ? json(s.account->handle) : json(nullptr)},
                   {"tweets", s.tweets},
                   {"notes", s.notes.size()},
                   {"as_of", format_iso8601(s.as_of)}});
  return s;
}

void read_archive(const ArchiveScan& scan, AnalyticsIndex& analytics, ImportReport& report,
                  const std::function<void(HistoryPost&&)>& on_post) {
  // Long posts' full texts, found by the note's id or by time and the
  // truncated text they begin with.
  std::vector<size_t> by_time;
  std::unordered_map<std::string, size_t> by_id;
  for (size_t i = 0; i < scan.notes.size(); ++i) {
    if (scan.notes[i].created_at) by_time.push_back(i);
    if (!scan.notes[i].note_id.empty()) by_id[scan.notes[i].note_id] = i;
  }
  std::sort(by_time.begin(), by_time.end(), [&](size_t a, size_t b) {
    return *scan.notes[a].created_at < *scan.notes[b].created_at;
  });
  std::vector<bool> used(scan.notes.size(), false);
  const auto note_for = [&](const ArchiveTweet& t) -> const ArchiveNote* {
    if (auto it = by_id.find(t.id); it != by_id.end() && !used[it->second]) {
      used[it->second] = true;
      return &scan.notes[it->second];
    }
    const std::string prefix = truncated_prefix(t.text);
    auto lo =
        std::lower_bound(by_time.begin(), by_time.end(), t.created_at - kNoteWindow,
                         [&](size_t i, TimePoint at) { return *scan.notes[i].created_at < at; });
    for (; lo != by_time.end() && *scan.notes[*lo].created_at <= t.created_at + kNoteWindow; ++lo) {
      const ArchiveNote& n = scan.notes[*lo];
      if (used[*lo] || prefix.empty() || n.text.rfind(prefix, 0) != 0) continue;
      used[*lo] = true;
      return &n;
    }
    return nullptr;
  };

  PostIdSet seen;
  // Told by the scan already: no report of bad elements here.
  for_each_element(scan.files.tweets, nullptr, [&](const json& j, const std::string&, long) {
    std::string problem;
    const auto t = parse_archive_tweet(j, problem);
    if (!t) return;
    if (!seen.insert(t->id)) {
      report.skip("duplicate");
      return;
    }
    report.read_post();
    std::vector<Observation> observations = analytics.take(t->id);
    if (t->retweet) {
      report.skip("retweet");
      return;
    }
    if (scan.part_text.count(t->id)) {
      report.skip("thread_part");
      return;
    }
    HistoryPost p;
    p.id = t->id;
    p.posted_at = t->created_at;
    const ArchiveNote* note = t->text.size() >= 2 ? note_for(*t) : nullptr;
    p.text = note ? note->text : t->text;
    if (blank(p.text)) {
      report.skip("no_text");
      return;
    }
    p.reply_to = t->reply_to_id;
    std::unordered_set<std::string> visited{p.id};
    for (auto it = scan.next_part.find(p.id); it != scan.next_part.end();
         it = scan.next_part.find(it->second)) {
      if (!visited.insert(it->second).second || p.thread_parts.size() >= kMaxThreadParts) break;
      p.thread_parts.push_back(scan.part_text.at(it->second));
    }
    if (has_nul(p.text) || std::any_of(p.thread_parts.begin(), p.thread_parts.end(), has_nul)) {
      report.skip("nul_in_text");
      return;
    }
    p.format = p.reply_to ? "reply" : p.thread_parts.empty() ? "single" : "thread";
    // The archive knows likes and retweets as of when it was made.
    learn::PostCounts counts;
    counts.likes = t->likes;
    counts.retweets = t->retweets;
    p.observations.push_back({std::max(scan.as_of, p.posted_at), counts, std::nullopt});
    for (auto& o : observations) {
      o.as_of = std::max(o.as_of, p.posted_at);
      p.observations.push_back(o);
    }
    on_post(std::move(p));
  });
  const auto unmatched = std::count(used.begin(), used.end(), false);
  if (unmatched > 0) report.skip("note_without_post", unmatched);
}

}  // namespace gl::import
