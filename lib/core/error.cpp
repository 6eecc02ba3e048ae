#include "core/error.h"

#include <utility>

namespace gl {

namespace {
std::string join(const std::string& subject, const std::string& reason) {
  return subject.empty() ? reason : subject + ": " + reason;
}
}  // namespace

Error::Error(int exit_code, std::string subject, std::string reason)
    : std::runtime_error(join(subject, reason)),
      exit_code_(exit_code),
      subject_(std::move(subject)),
      reason_(std::move(reason)) {}

Error usage_error(std::string subject, std::string reason) {
  return Error(kExitUsage, std::move(subject), std::move(reason));
}
Error temp_error(std::string subject, std::string reason) {
  return Error(kExitTempFail, std::move(subject), std::move(reason));
}
Error failure(std::string subject, std::string reason) {
  return Error(kExitFailure, std::move(subject), std::move(reason));
}

}  // namespace gl
