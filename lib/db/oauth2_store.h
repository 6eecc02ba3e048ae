// Persists OAuth 2.0 tokens per account. Saves on a connection of its own, so
// a rotated refresh token is committed before it is used, whatever else the
// tool has open.
#pragma once

#include <string>

#include "x/auth.h"

namespace gl::db {

x::TokenStore oauth2_token_store(const std::string& conninfo, long long account_id);

}  // namespace gl::db
