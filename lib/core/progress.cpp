#include "core/progress.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <utility>

namespace gl {

bool stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::strcmp(term, "dumb") == 0) return false;
  return isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string tool, std::string what, long long total)
    : Progress(std::move(tool), std::move(what), total, stderr, stderr_is_terminal()) {}

Progress::Progress(std::string tool, std::string what, long long total, std::FILE* out,
                   bool enabled)
    : tool_(std::move(tool)), what_(std::move(what)), total_(total), out_(out), enabled_(enabled) {}

Progress::~Progress() { finish(); }

void Progress::advance(long long n) {
  done_ += n;
  if (!enabled_ || finished_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(200) && done_ != total_) return;
  last_draw_ = now;
  draw();
}

void Progress::draw() {
  // \r and clear-to-end-of-line: one line that updates in place.
  if (total_ > 0) {
    std::fprintf(out_, "\r%s: %lld/%lld %s (%lld%%)\033[K", tool_.c_str(), done_, total_,
                 what_.c_str(), done_ * 100 / total_);
  } else {
    std::fprintf(out_, "\r%s: %lld %s\033[K", tool_.c_str(), done_, what_.c_str());
  }
  std::fflush(out_);
  drawn_ = true;
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  draw();
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace gl
