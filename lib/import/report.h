// What an import read, wrote and skipped, and why: the summary
// import-history prints, and the bad input it names by file, line and reason.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace gl::import {

struct Problem {
  std::string file;
  long line = 0;  // 0 = the whole file
  std::string reason;
};

class ImportReport {
 public:
  // A row or element that could not be read; the rest of its file is.
  void bad_row(const std::string& file, long line, const std::string& reason);
  // A file that could not be read at all (`line`: where it broke, 0 = the
  // whole file); nothing of it is imported.
  void bad_file(const std::string& file, const std::string& reason, long line = 0);
  void skip(const std::string& reason, long long n = 1) { skipped_[reason] += n; }
  void read_post() { ++posts_read_; }
  void add_file(nlohmann::json info) { files_.push_back(std::move(info)); }

  // A post written: new (imported), with new numbers (updated), or only with
  // readings older than the numbers it has, which stay (older_readings: an
  // older export read after a newer one adds to the snapshot series).
  enum class Written { kNew, kNewNumbers, kOlderReadings };
  void wrote(Written what, TimePoint posted_at, const std::string& format,
             const std::string& topic);
  void unchanged() { ++unchanged_; }
  void metric_known(const std::string& name) { ++metrics_[name]; }
  void passed_gates() { ++learnable_; }

  long long bad_files() const { return bad_files_; }
  long long problems() const { return problems_total_; }
  const std::vector<Problem>& first_problems() const { return problems_; }

  nlohmann::json summary() const;

 private:
  static constexpr size_t kMaxListed = 100;
  std::vector<Problem> problems_;
  long long problems_total_ = 0, bad_files_ = 0;
  std::map<std::string, long long> skipped_, metrics_, formats_, topics_;
  long long posts_read_ = 0, imported_ = 0, updated_ = 0, older_readings_ = 0, unchanged_ = 0;
  long long learnable_ = 0;
  std::optional<TimePoint> first_, last_;
  std::vector<nlohmann::json> files_;
};

// A message part safe to print: invalid UTF-8 replaced, at most `max` bytes.
std::string printable(const std::string& s, size_t max = 200);

}  // namespace gl::import
