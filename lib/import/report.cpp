#include "import/report.h"

#include "x/tweet_text.h"

namespace gl::import {

std::string printable(const std::string& s, size_t max) {
  std::string out;
  size_t i = 0;
  while (i < s.size() && out.size() < max) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n > 0 && i + n <= s.size() && x::valid_utf8(s.substr(i, n))) {
      out.append(s, i, n);
      i += n;
    } else {
      out += '?';  // a byte that is not UTF-8
      ++i;
    }
  }
  return i < s.size() ? out + "..." : out;
}

void ImportReport::bad_row(const std::string& file, long line, const std::string& reason) {
  ++problems_total_;
  ++skipped_["bad_row"];
  if (problems_.size() < kMaxListed)
    problems_.push_back({printable(file), line, printable(reason)});
}

void ImportReport::bad_file(const std::string& file, const std::string& reason, long line) {
  ++problems_total_;
  ++bad_files_;
  if (problems_.size() < kMaxListed)
    problems_.push_back({printable(file), line, printable(reason)});
}

void ImportReport::wrote(Written what, TimePoint posted_at, const std::string& format,
                         const std::string& topic) {
  ++(what == Written::kNew ? imported_ : what == Written::kNewNumbers ? updated_ : older_readings_);
  ++formats_[format];
  ++topics_[topic];
  if (!first_ || posted_at < *first_) first_ = posted_at;
  if (!last_ || posted_at > *last_) last_ = posted_at;
}

nlohmann::json ImportReport::summary() const {
  using nlohmann::json;
  json problems = json::array();
  for (const auto& p : problems_) {
    problems.push_back({{"file", p.file}, {"line", p.line}, {"reason", p.reason}});
  }
  json range = nullptr;
  if (first_) range = {{"from", format_iso8601(*first_)}, {"to", format_iso8601(*last_)}};
  return {{"posts_read", posts_read_},  {"imported", imported_},
          {"updated", updated_},        {"older_readings", older_readings_},
          {"unchanged", unchanged_},    {"skipped", skipped_},
          {"date_range", range},        {"metrics_available", metrics_},
          {"passed_gates", learnable_}, {"formats", formats_},
          {"topics", topics_},          {"files", files_},
          {"bad_files", bad_files_},    {"problems_total", problems_total_},
          {"problems", problems}};
}

}  // namespace gl::import
