// Secrets and settings from the environment: NAME, or the file named by NAME_FILE.
// Never from argv, never logged.
#pragma once

#include <optional>
#include <string>

namespace gl {

// The value of NAME, else the contents of the file at $NAME_FILE (one trailing
// newline removed), else nothing. Setting both is an error, as is an unreadable file.
// The file's path may name {account} (/etc/growthloop/accounts/{account}/x_access_token):
// one setting serves every account, and each account's run reads its own file.
std::optional<std::string> env_secret(const std::string& name);

// path with every {account} replaced by the run's account handle
// (GROWTHLOOP_ACCOUNT, which run_tool sets from --account); a usage error
// naming `variable` when the path names {account} and the run has none.
std::string account_path(const std::string& variable, const std::string& path);

// A plain environment setting (non-secret), empty counts as unset.
std::optional<std::string> env_setting(const std::string& name);

// A whole-number setting (e.g. X_HTTP_TIMEOUT_MS): the default when unset, a
// usage error naming the variable when it is not a whole number in [min, max].
long env_whole(const std::string& name, long fallback, long min, long max);

}  // namespace gl
