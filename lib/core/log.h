// Logging to stderr. Cron mails whatever a job prints, so a successful run is
// silent unless asked (-v); warnings and errors always show.
#pragma once

#include <fmt/format.h>

#include <string>

namespace gl {

class Log {
 public:
  Log(std::string tool, int verbosity) : tool_(std::move(tool)), verbosity_(verbosity) {}

  template <typename... Args>
  void info(fmt::format_string<Args...> f, Args&&... args) const {
    if (verbosity_ >= 1) write("", fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void debug(fmt::format_string<Args...> f, Args&&... args) const {
    if (verbosity_ >= 2) write("debug: ", fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void warn(fmt::format_string<Args...> f, Args&&... args) const {
    write("warning: ", fmt::format(f, std::forward<Args>(args)...));
  }
  void error(const std::string& message) const { write("error: ", message); }

  int verbosity() const { return verbosity_; }
  const std::string& tool() const { return tool_; }

 private:
  void write(const char* level, const std::string& message) const;
  std::string tool_;
  int verbosity_;
};

}  // namespace gl
