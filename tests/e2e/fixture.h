// An account on a fresh database, an x-sandbox, and posts on both.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "support/harness.h"
#include "support/sandbox.h"

namespace gl::test {

struct LoopFixture {
  TestDb db;
  Sandbox sandbox;
  std::map<std::string, std::string> env;

  explicit LoopFixture(std::vector<std::string> sandbox_args = {});

  // n tweets posted at `posted_at`, on the sandbox and in content_metadata
  // (status posted), by the sandbox user of `user_key` (default: the OAuth
  // 1.0a user of env). Returns their tweet ids.
  std::vector<std::string> posted(int n, const std::string& posted_at,
                                  const std::string& topic = "sleep",
                                  const std::string& user_key = "");

  // env with the OAuth 1.0a credentials replaced by an OAuth 2.0 client
  // (e2e-client) and its first refresh token, as x-sandbox knows them.
  std::map<std::string, std::string> oauth2_env() const;

  // Queues a post for publish.
  std::string queue(const std::string& text, const std::string& scheduled_at,
                    const std::string& format = "single");

  // The number of rows where outcomes, learning_posts and content_metadata
  // disagree, or the latest clean snapshot that knows the views disagrees with
  // outcomes (a counter a read leaves out keeps its last value).
  long long disagreements();
  long long count(const std::string& sql) { return std::stoll(db.scalar(sql)); }
};

// The crontab's chain, hour by hour from `start` for `hours` hours: plan-post
// (with `plan_flags` added), publish, scrape-metrics piped into
// update-generators, then learn-hourly, aggregate and extract-formulas at
// their own periods (learn-hourly where hour % learn_every == learn_offset,
// the others where hour % every == 0). Returns how
// many tool runs did not exit 0 (each is reported by WARN).
struct CrontabChain {
  std::vector<std::string> plan_flags;
  int learn_every = 1, learn_offset = 0;
  int aggregate_every = 2;
  int formulas_every = 6;
};
int run_crontab_chain(const std::map<std::string, std::string>& env, TimePoint start, int hours,
                      const CrontabChain& chain = {});

}  // namespace gl::test
