// x-sandbox's world: accounts, their posts and followers, evolving with the
// business clock of each call under the audience's hidden truth. Every
// account posts into the same world; an account that calls the API is known
// by its credential, one that only posts (another author) need not have one.
#pragma once

#include <map>
#include <optional>
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
  std::string conversation_id;  // the root of its reply chain (its own id for a root)
  Reading reading;              // as the audience read it when posted
  FinalMetrics final;           // drawn when posted
  bool deleted = false;
  // A real post's public_metrics as imported: served as they are, for ever;
  // the counters it lacks are unknown (omitted), as X omits what it lacks.
  std::map<std::string, long long> recorded;
};

struct SandboxUser {
  std::string key;  // the credential it is known by ("" = it never calls)
  std::string id;
  std::string username;
  long long initial_followers = 0;
  std::optional<long long> recorded_followers;  // a real account's, as imported: fixed
  bool outside = false;        // one of the other accounts of the world (sandbox/outside.h)
  bool premium = false;        // gets real personalized trends
  std::vector<size_t> tweets;  // indexes into World::tweets(), in order of creation
};

class World {
 public:
  World(Truth truth, unsigned long long seed);

  // The user a credential key stands for, created on first sight.
  SandboxUser& user_for_key(const std::string& key);
  // Without creating it.
  const SandboxUser* find_user_for_key(const std::string& key) const;
  SandboxUser* user_by_id(const std::string& id);
  SandboxUser* user_by_username(const std::string& username);  // case-insensitive

  // Creates a post at `at`; its final metrics are drawn now, from the
  // author's state at that time.
  const SandboxTweet& post(SandboxUser& user, const std::string& text,
                           const std::optional<std::string>& reply_to, TimePoint at);
  SandboxTweet* tweet(const std::string& id);
  // A post of the user with the same text in the last 24 h, if any.
  const SandboxTweet* recent_duplicate(const SandboxUser& user, const std::string& text,
                                       TimePoint at) const;

  // What the audience knows of an author at a time (nullptr: a neutral
  // account with the truth's initial followers and no recent posts).
  AuthorState author_state(const SandboxUser* user, TimePoint at) const;

  Counts counts(const SandboxTweet& t, TimePoint at) const;
  // Followers a post has brought by a time.
  double follows_by(const SandboxTweet& t, TimePoint at) const;
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
  std::map<std::string, SandboxUser> users_;  // by id
  std::map<std::string, std::string> id_by_key_;
};

}  // namespace gl::sandbox
