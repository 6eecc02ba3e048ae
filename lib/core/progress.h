// Progress of long work on stderr, only when stderr is a terminal: a person
// watching an import or an --all-accounts run sees it move; cron, pipes and
// log files get nothing extra.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace gl {

class Progress {
 public:
  // `what` names the unit ("posts", "accounts"); total 0 when unknown.
  // Enabled when stderr is a terminal.
  Progress(std::string tool, std::string what, long long total);
  // The same, writing to `out` when `enabled` (for tests).
  Progress(std::string tool, std::string what, long long total, std::FILE* out, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `n` more units done; redraws at most every 200 ms (and at the total).
  void advance(long long n = 1);
  // Ends the line; called by the destructor when not before.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  void draw();
  std::string tool_, what_;
  long long total_, done_ = 0;
  std::FILE* out_;
  bool enabled_;
  bool drawn_ = false;
  bool finished_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

// True when stderr is a terminal (and TERM is not "dumb").
bool stderr_is_terminal();

}  // namespace gl
