#include "sandbox/world.h"

#include <cctype>
#include <cmath>

namespace gl::sandbox {

World::World(Truth truth, unsigned long long seed) : truth_(std::move(truth)), seed_(seed) {}

SandboxUser& World::user_for_key(const std::string& key) {
  if (auto it = id_by_key_.find(key); it != id_by_key_.end()) return users_.at(it->second);
  SandboxUser u;
  u.key = key;
  u.id = std::to_string(1000000001ULL + users_.size());
  u.username = "sandbox_user" + std::to_string(users_.size() + 1);
  u.initial_followers = truth_.initial_followers;
  id_by_key_[key] = u.id;
  return users_.emplace(u.id, std::move(u)).first->second;
}

const SandboxUser* World::find_user_for_key(const std::string& key) const {
  auto it = id_by_key_.find(key);
  return it == id_by_key_.end() ? nullptr : &users_.at(it->second);
}

SandboxUser* World::user_by_id(const std::string& id) {
  auto it = users_.find(id);
  return it == users_.end() ? nullptr : &it->second;
}

SandboxUser* World::user_by_username(const std::string& username) {
  const auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  for (auto& [id, u] : users_) {
    if (lower(u.username) == lower(username)) return &u;
  }
  return nullptr;
}

AuthorState World::author_state(const SandboxUser* user, TimePoint at) const {
  AuthorState s;
  if (user == nullptr) return s;
  s.followers = static_cast<double>(followers(*user, at));
  const double window = active_truth(truth_, at).fatigue_hours;
  for (size_t i : user->tweets) {
    const SandboxTweet& t = tweets_[i];
    const double age = hours_between(t.created_at, at);
    if (!t.deleted && age > 0 && age < window) {
      s.recent.push_back({t.created_at, t.reading.topic, t.reading.opening});
    }
  }
  return s;
}

const SandboxTweet& World::post(SandboxUser& user, const std::string& text,
                                const std::optional<std::string>& reply_to, TimePoint at) {
  SandboxTweet t;
  // Snowflake-like: ids grow with time of creation.
  next_id_ += 4096 + (seed_ % 97);
  t.id = std::to_string(next_id_);
  t.text = text;
  t.author_id = user.id;
  t.created_at = at;
  t.reply_to = reply_to;
  const SandboxTweet* parent = reply_to ? tweet(*reply_to) : nullptr;
  t.conversation_id = parent ? parent->conversation_id : t.id;
  AuthorState state = author_state(&user, at);
  state.reply = reply_to.has_value();
  t.reading = read_post(t.text, topic_keywords(active_truth(truth_, at)));
  t.final = draw_final(truth_, t.text, at, state, seed_, t.id);
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
                                            TimePoint at) const {
  for (auto it = user.tweets.rbegin(); it != user.tweets.rend(); ++it) {
    const SandboxTweet& t = tweets_[*it];
    if (at - t.created_at > std::chrono::hours(24)) break;
    if (!t.deleted && t.text == text) return &t;
  }
  return nullptr;
}

Counts World::counts(const SandboxTweet& t, TimePoint at) const {
  const Truth& active = active_truth(truth_, t.created_at);
  return counts_at(t.final, growth_fraction(active, hours_between(t.created_at, at)));
}

double World::follows_by(const SandboxTweet& t, TimePoint at) const {
  const Truth& active = active_truth(truth_, t.created_at);
  return t.final.actions[kFollows] * growth_fraction(active, hours_between(t.created_at, at));
}

long long World::followers(const SandboxUser& user, TimePoint at) const {
  if (user.recorded_followers) return *user.recorded_followers;
  double gained = 0;
  for (size_t i : user.tweets) gained += follows_by(tweets_[i], at);
  return user.initial_followers + static_cast<long long>(std::floor(gained));
}

}  // namespace gl::sandbox
