// Secrets and settings from the environment: NAME, or the file named by NAME_FILE.
// Never from argv, never logged.
#pragma once

#include <optional>
#include <string>

namespace gl {

// The value of NAME, else the contents of the file at $NAME_FILE (one trailing
// newline removed), else nothing. Setting both is an error, as is an unreadable file.
std::optional<std::string> env_secret(const std::string& name);

// A plain environment setting (non-secret), empty counts as unset.
std::optional<std::string> env_setting(const std::string& name);

// A whole-number setting (e.g. X_HTTP_TIMEOUT_MS): the default when unset, a
// usage error naming the variable when it is not a whole number in [min, max].
long env_whole(const std::string& name, long fallback, long min, long max);

}  // namespace gl
