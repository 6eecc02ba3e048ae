// Persists OAuth 2.0 tokens per account. Saves on a connection of its own, so
// a rotated refresh token is committed before it is used, whatever else the
// tool has open. Refreshes of one account are serialised by an advisory lock
// (on a session of its own, waited for up to 120 s, then exit 75; the session
// is given back when the lock is, for a process that keeps sessions).
#pragma once

#include <string>

#include "db/connection.h"
#include "x/auth.h"

namespace gl::db {

x::TokenStore oauth2_token_store(const std::string& conninfo, const DbTimeouts& timeouts,
                                 long long account_id);

}  // namespace gl::db
