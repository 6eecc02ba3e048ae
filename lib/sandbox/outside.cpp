#include "sandbox/outside.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/hash.h"
#include "sandbox/llm.h"

namespace gl::sandbox {

namespace {

// A uniform number in [0, 1) from a key: the world's dice, fixed by the seed.
double unit(unsigned long long seed, const std::string& key) {
  // FNV-1a mixes the last bytes of similar keys poorly; splitmix64's finaliser spreads them.
  std::uint64_t z = fnv1a64(std::to_string(seed) + "/" + key);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) / 9007199254740992.0;
}

std::string capitalised(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

long long hour_index(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::hours>(t.time_since_epoch()).count();
}

// Topics of the rest of the world: posts and trends that match no account.
const std::vector<std::string> kOtherTopics = {"football", "music", "weather"};
const std::vector<std::string> kOtherTrends = {"Champions League", "#MondayMotivation",
                                               "Black Friday",     "#Eurovision",
                                               "Taylor Swift",     "AI Act"};
const std::vector<std::string> kHooks = {"statistic", "contrarian", "question", "story",
                                         "list",      "how to",     "myth",     "statement"};
// Author sizes: followers from a few hundred to millions.
const std::vector<double> kAuthorSizes = {800, 6000, 45000, 350000, 2500000};
const std::vector<std::string> kPhraseWords = {"science", "training", "myths", "habits", "tips"};
const std::vector<std::string> kSuffixes = {"_daily", "coach", "_lab", "insider", "hq"};

}  // namespace

Outside::Outside(World& world, unsigned long long seed) : world_(world), seed_(seed) {}

void Outside::create_authors() {
  std::vector<std::string> topics = topic_keywords(world_.truth());
  if (topics.size() > 8) topics.resize(8);
  for (const auto& t : topics) {
    trend_names_.push_back("#" + capitalised(t) + "Tips");
    trend_names_.push_back(capitalised(t) + " Week");
  }
  for (const auto& t : kOtherTrends) trend_names_.push_back(t);
  for (const auto& o : kOtherTopics) topics.push_back(o);
  for (const auto& topic : topics) {
    for (size_t i = 0; i < kAuthorSizes.size(); ++i) {
      std::string name = topic + kSuffixes[i];
      name.erase(std::remove_if(name.begin(), name.end(),
                                [](unsigned char c) { return !std::isalnum(c) && c != '_'; }),
                 name.end());
      if (name.size() > 15) name.resize(15);
      Author a;
      a.key = "outside:" + name;
      a.topic = topic;
      a.posts_per_day = 1 + 3 * unit(seed_, name + "/rate");
      SandboxUser& u = world_.user_for_key(a.key);
      u.username = name;
      u.outside = true;
      u.initial_followers = static_cast<long long>(
          kAuthorSizes[i] * std::exp(0.5 * (unit(seed_, name + "/size") - 0.5)));
      authors_.push_back(std::move(a));
    }
  }
}

std::string Outside::text_for(const std::string& keyword, const std::string& salt) const {
  const std::string hook = kHooks[static_cast<size_t>(unit(seed_, salt + "/hook") * kHooks.size())];
  // Half the posts name the subject in two words ("sleep science"), as people write.
  const std::string topic =
      unit(seed_, salt + "/phrase") < 0.5
          ? keyword + " " +
                kPhraseWords[static_cast<size_t>(unit(seed_, salt + "/word") * kPhraseWords.size())]
          : keyword;
  const nlohmann::json messages = {
      {{"role", "user"}, {"content", "Topic: " + topic + "\nHook: " + hook + "\nSeed: " + salt}}};
  return chat_answer(messages);
}

void Outside::post_hour(TimePoint hour) {
  const std::string h = std::to_string(hour_index(hour));
  for (size_t i = 0; i < authors_.size(); ++i) {
    const Author& a = authors_[i];
    const std::string salt = a.key + "/" + h;
    if (unit(seed_, salt + "/posts") >= a.posts_per_day / 24.0) continue;
    const TimePoint at =
        hour + std::chrono::minutes(static_cast<int>(unit(seed_, salt + "/min") * 30));
    // Mostly its own topic, sometimes another account's.
    const std::string topic =
        unit(seed_, salt + "/topic") < 0.8
            ? a.topic
            : authors_[static_cast<size_t>(unit(seed_, salt + "/other") * authors_.size())].topic;
    SandboxUser& author = world_.user_for_key(a.key);
    const SandboxTweet& root = world_.post(author, text_for(topic, salt), std::nullopt, at);
    const std::string root_id = root.id;
    // Replies from other authors within the half hour after it.
    const int replies = static_cast<int>(unit(seed_, salt + "/replies") * 4);
    for (int r = 0; r < replies; ++r) {
      const std::string rs = salt + "/reply" + std::to_string(r);
      size_t j = static_cast<size_t>(unit(seed_, rs + "/who") * authors_.size());
      if (j == i) j = (j + 1) % authors_.size();
      SandboxUser& replier = world_.user_for_key(authors_[j].key);
      world_.post(replier, text_for(topic, rs), root_id,
                  at + std::chrono::minutes(1 + static_cast<int>(unit(seed_, rs + "/min") * 29)));
    }
  }
}

void Outside::advance(TimePoint now) {
  if (authors_.empty()) create_authors();
  const TimePoint last = std::chrono::floor<std::chrono::hours>(now) - std::chrono::hours(2);
  TimePoint from = done_until_ ? *done_until_ : last - std::chrono::hours(24 * 8);
  for (TimePoint hour = from; hour < last; hour += std::chrono::hours(1)) post_hour(hour);
  if (!done_until_ || last > *done_until_) done_until_ = std::max(from, last);
}

std::vector<SandboxTrend> Outside::trends(long long woeid, TimePoint now) const {
  std::vector<SandboxTrend> out;
  const double hours =
      static_cast<double>(hour_index(now)) +
      static_cast<double>(
          std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count() % 60) /
          60.0;
  const long long today = hour_index(now) / 24;
  for (const auto& name : trend_names_) {
    if (woeid != 1 && unit(seed_, name + "/woeid/" + std::to_string(woeid)) < 0.5) continue;
    // Waves: on about half the days a trend rises and fades over a few hours.
    double volume = 0;
    for (long long d = today - 2; d <= today + 1; ++d) {
      const std::string key = name + "/day/" + std::to_string(d);
      if (unit(seed_, key) >= 0.5) continue;
      const double center = static_cast<double>(d * 24) + 24 * unit(seed_, key + "/center");
      const double width = 3 + 9 * unit(seed_, key + "/width");
      const double peak = 5000 * std::exp(4 * unit(seed_, key + "/peak"));
      volume += peak * std::exp(-0.5 * std::pow((hours - center) / width, 2));
    }
    if (woeid != 1) volume *= 0.3;
    if (volume < 2000) continue;
    out.push_back({name, static_cast<long long>(volume), unit(seed_, name + "/known") >= 0.25,
                   name[0] == '#' ? "Trending" : "Only on X"});
  }
  std::sort(out.begin(), out.end(), [](const SandboxTrend& a, const SandboxTrend& b) {
    return a.volume != b.volume ? a.volume > b.volume : a.name < b.name;
  });
  if (out.size() > 30) out.resize(30);
  return out;
}

}  // namespace gl::sandbox
