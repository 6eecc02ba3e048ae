#include "core/log.h"

#include <cstdio>

namespace gl {

void Log::write(const char* level, const std::string& message) const {
  std::fprintf(stderr, "%s: %s%s\n", tool_.c_str(), level, message.c_str());
  std::fflush(stderr);
}

}  // namespace gl
