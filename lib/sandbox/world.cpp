#include "sandbox/world.h"

#include "x/tweet_text.h"

namespace gl::sandbox {

World::World(Truth truth, unsigned long long seed) : truth_(std::move(truth)), seed_(seed) {}

SandboxUser& World::user_for_key(const std::string& key) {
  auto it = users_.find(key);
  if (it != users_.end()) return it->second;
  SandboxUser u;
  u.key = key;
  u.id = std::to_string(1000000001ULL + users_.size());
  u.username = "sandbox_user" + std::to_string(users_.size() + 1);
  key_by_user_id_[u.id] = key;
  return users_.emplace(key, std::move(u)).first->second;
}

SandboxUser* World::user_by_id(const std::string& id) {
  auto it = key_by_user_id_.find(id);
  return it == key_by_user_id_.end() ? nullptr : &users_.at(it->second);
}

const SandboxTweet& World::post(SandboxUser& user, const std::string& text,
                                const std::optional<std::string>& reply_to, TimePoint at) {
  SandboxTweet t;
  // Snowflake-like: ids grow with time of creation.
  next_id_ += 4096 + (seed_ % 97);
  t.id = std::to_string(next_id_);
  t.text = x::nfc(text);
  t.author_id = user.id;
  t.created_at = at;
  t.reply_to = reply_to;
  t.final = final_metrics(truth_, t.text, at, seed_, t.id);
  if (reply_to) {
    // Replies in a self-thread reach a fraction of the opener's audience.
    const double f = 0.25;
    t.final.impressions *= f;
    t.final.likes *= f;
    t.final.retweets *= f;
    t.final.replies *= f;
    t.final.quotes *= f;
    t.final.bookmarks *= f;
    t.final.profile_clicks *= f;
    t.final.follows *= f;
  }
  tweet_index_[t.id] = tweets_.size();
  user.tweets.push_back(tweets_.size());
  tweets_.push_back(std::move(t));
  return tweets_.back();
}

SandboxTweet* World::tweet(const std::string& id) {
  auto it = tweet_index_.find(id);
  return it == tweet_index_.end() ? nullptr : &tweets_[it->second];
}

const SandboxTweet* World::recent_duplicate(const SandboxUser& user, const std::string& text,
                                            TimePoint at) {
  const std::string normal = x::nfc(text);
  for (auto it = user.tweets.rbegin(); it != user.tweets.rend(); ++it) {
    const SandboxTweet& t = tweets_[*it];
    if (at - t.created_at > std::chrono::hours(24)) break;
    if (!t.deleted && t.text == normal) return &t;
  }
  return nullptr;
}

Counts World::counts(const SandboxTweet& t, TimePoint at) const {
  const Truth& active = active_truth(truth_, t.created_at);
  return counts_at(t.final, growth_fraction(active, hours_between(t.created_at, at)));
}

long long World::followers(const SandboxUser& user, TimePoint at) const {
  double gained = 0;
  for (size_t i : user.tweets) {
    const SandboxTweet& t = tweets_[i];
    if (t.created_at > at) continue;
    const Truth& active = active_truth(truth_, t.created_at);
    gained += t.final.follows * growth_fraction(active, hours_between(t.created_at, at));
  }
  return truth_.initial_followers + static_cast<long long>(gained);
}

}  // namespace gl::sandbox
