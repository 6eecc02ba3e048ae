// The one error type every tool throws: an exit code and a two-part message,
// the thing involved and what is wrong with it.
#pragma once

#include <stdexcept>
#include <string>

namespace gl {

enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,
  kExitUsage = 2,      // bad flags or bad input
  kExitTempFail = 75,  // EX_TEMPFAIL: rate limit, lock held, database down
};

class Error : public std::runtime_error {
 public:
  Error(int exit_code, std::string subject, std::string reason);

  int exit_code() const { return exit_code_; }
  const std::string& subject() const { return subject_; }
  const std::string& reason() const { return reason_; }

 private:
  int exit_code_;
  std::string subject_;
  std::string reason_;
};

// Shorthands for the common kinds.
Error usage_error(std::string subject, std::string reason);
Error temp_error(std::string subject, std::string reason);
Error failure(std::string subject, std::string reason);

}  // namespace gl
