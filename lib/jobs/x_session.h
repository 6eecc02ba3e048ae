// Connecting a tool run to X: the client for the run's account, and the
// account's own user record (learning and storing its X user id).
#pragma once

#include <memory>
#include <optional>

#include "db/job_run.h"
#include "x/client.h"

namespace gl::jobs {

class UsageRecorder;

// The client for the run's account; every call it makes is recorded in
// api_usage (jobs/usage.h). `usage`, when given, receives the recorder.
std::unique_ptr<x::XClient> open_x_client(db::AccountRun& run,
                                          std::shared_ptr<UsageRecorder>* usage = nullptr);

// The account's user (followers): in user context GET /2/users/me, checked by
// verify_account_user below; with app-only auth GET /2/users/:id when its id
// is known; nothing when neither is possible (app-only auth, no --x-user-id).
std::optional<x::UserInfo> fetch_account_user(db::AccountRun& run, x::XClient& client);

// The user the credentials sign in as (GET /2/users/me), checked to be the
// account's: its stored X user id, and no other account's. Stores the id when
// it was not known. A usage error (exit 2) naming both otherwise: what is
// posted with these credentials would go out on another account.
x::UserInfo verify_account_user(db::AccountRun& run, x::XClient& client);

}  // namespace gl::jobs
