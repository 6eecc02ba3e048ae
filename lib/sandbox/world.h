// x-sandbox's world: users, their tweets and followers, evolving with the
// business clock of each call under the audience's hidden truth.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "sandbox/audience.h"

namespace gl::sandbox {

struct SandboxTweet {
  std::string id;
  std::string text;
  std::string author_id;
  TimePoint created_at;
  std::optional<std::string> reply_to;
  FinalMetrics final;
  bool deleted = false;
};

struct SandboxUser {
  std::string key;  // the credential it is known by
  std::string id;
  std::string username;
  std::vector<size_t> tweets;  // indexes into World::tweets_, oldest first
};

class World {
 public:
  World(Truth truth, unsigned long long seed);

  // The user a credential key stands for, created on first sight.
  SandboxUser& user_for_key(const std::string& key);
  SandboxUser* user_by_id(const std::string& id);

  // Creates a tweet at `at`; its final metrics are drawn now.
  const SandboxTweet& post(SandboxUser& user, const std::string& text,
                           const std::optional<std::string>& reply_to, TimePoint at);
  SandboxTweet* tweet(const std::string& id);
  // A post of the user with the same text in the last 24 h, if any.
  const SandboxTweet* recent_duplicate(const SandboxUser& user, const std::string& text,
                                       TimePoint at);

  Counts counts(const SandboxTweet& t, TimePoint at) const;
  long long followers(const SandboxUser& user, TimePoint at) const;

  const Truth& truth() const { return truth_; }
  size_t tweet_count() const { return tweets_.size(); }
  const std::vector<SandboxTweet>& tweets() const { return tweets_; }

 private:
  Truth truth_;
  unsigned long long seed_;
  unsigned long long next_id_ = 1860000000000000000ULL;
  std::vector<SandboxTweet> tweets_;
  std::unordered_map<std::string, size_t> tweet_index_;
  std::map<std::string, SandboxUser> users_;  // by key
  std::map<std::string, std::string> key_by_user_id_;
};

}  // namespace gl::sandbox
