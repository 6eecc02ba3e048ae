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

// The account's user (followers): GET /2/users/:id when its id is known, else
// GET /2/users/me (user context), storing the id it learns. Nothing when
// neither is possible (app-only auth and no --x-user-id).
std::optional<x::UserInfo> fetch_account_user(db::AccountRun& run, x::XClient& client);

}  // namespace gl::jobs
