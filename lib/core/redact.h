// Keeping credentials out of what we print and store. Messages from libpq and
// libcurl may quote a connection string or URL back; everything a tool prints
// as an error goes through redact_credentials first.
#pragma once

#include <string>
#include <vector>

namespace gl {

inline constexpr const char* kRedacted = "***";

// The passwords a connection string or URL carries: a URL's userinfo password
// (as written and percent-decoded, and each piece of it between a bare '@', '/'
// or ':', where libpq's parser cuts it) and libpq's password=VALUE keyword.
std::vector<std::string> passwords_in(const std::string& conninfo);

// text with every URL userinfo password (scheme://user:PASSWORD@host), every
// password=VALUE, and every occurrence of the given secrets replaced by ***.
// Secrets shorter than 4 characters are only removed in those two forms, so a
// one-letter password does not blank out every such letter of the message.
std::string redact_credentials(std::string text, const std::vector<std::string>& secrets = {});

}  // namespace gl
