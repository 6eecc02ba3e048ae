#include "plan/composer.h"

#include <algorithm>
#include <vector>

#include "learn/formulas.h"

namespace gl::plan {

namespace {

using learn::HookType;

template <typename T>
const T& pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

int between(int lo, int hi, std::mt19937_64& rng) { return std::uniform_int_distribution<int>(lo, hi)(rng); }

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string opening(const DraftRequest& r, std::mt19937_64& rng) {
  const std::string& t = r.topic;
  const std::string n = std::to_string(between(3, 9, rng));
  const std::string pct = std::to_string(between(41, 93, rng));
  switch (r.hook) {
    case HookType::kSurprisingStat:
      return pick<std::string>({pct + "% of people get " + t + " wrong, and the cost compounds every week.",
                                "Only " + std::to_string(between(8, 29, rng)) + "% of adults use what we know about " + t + ".",
                                "A " + std::to_string(between(12, 48, rng)) + "% gain from one change to " + t + ": that is what the data shows."},
                               rng);
    case HookType::kContrarian:
      return pick<std::string>({"Unpopular opinion: most " + t + " advice is overrated.",
                                "Everyone says " + t + " is about discipline. It mostly is not.",
                                "Hot take: you do not need a perfect " + t + " routine."},
                               rng);
    case HookType::kQuestion:
      return pick<std::string>({"Why does " + t + " feel harder than it should?",
                                "What if your " + t + " problem is really a timing problem?",
                                "Have you ever wondered why " + t + " advice rarely sticks?"},
                               rng);
    case HookType::kPersonalStory:
      return pick<std::string>({"I changed one thing about my " + t + " for " + n + " weeks.",
                                "Last year my " + t + " was a mess. Here is what fixed it.",
                                "My client tracked " + t + " for " + n + " months and found a pattern."},
                               rng);
    case HookType::kList: {
      std::vector<std::string> items = {"Start smaller than feels useful", "Same time every day",
                                        "Track one number", "Remove one obstacle", "Pair it with a habit you keep",
                                        "Review it every Sunday"};
      std::shuffle(items.begin(), items.end(), rng);
      return "3 " + t + " habits that actually work:\n1. " + items[0] + "\n2. " + items[1] + "\n3. " + items[2];
    }
    case HookType::kHowTo:
      return pick<std::string>({"How to get better at " + t + " in " + n + " minutes a day:",
                                "Here's how to make " + t + " automatic:"},
                               rng);
    case HookType::kMythBusting:
      return pick<std::string>({"Myth: " + t + " is about willpower.",
                                "The biggest misconception about " + t + " is that more is better.",
                                "Stop believing that " + t + " has to be complicated."},
                               rng);
    case HookType::kStatement:
      return pick<std::string>({capitalised(t) + " is a skill, not a trait.",
                                capitalised(t) + " rewards consistency more than intensity.",
                                "Good " + t + " is built in the boring hours."},
                               rng);
  }
  return capitalised(t) + ".";
}

std::string body(const DraftRequest& r, std::mt19937_64& rng) {
  const std::string& t = r.topic;
  switch (r.hook) {
    case HookType::kList:
      return "";
    case HookType::kHowTo:
      return pick<std::string>({" Step 1: pick one cue. Step 2: keep it tiny. Step 3: repeat daily.",
                                " Pick one cue, keep it tiny, and repeat it at the same time each day."},
                               rng);
    case HookType::kQuestion:
      return pick<std::string>({" The research points to small, repeated signals, not big efforts.",
                                " Because the cue matters more than the effort, which means timing beats willpower."},
                               rng);
    default:
      return pick<std::string>({" Research shows small daily inputs beat rare big efforts.",
                                " The reason: your body adapts to signals, not intentions.",
                                " The evidence is clear, but almost nobody applies it to " + t + "."},
                               rng);
  }
}

std::string ending(std::mt19937_64& rng) {
  return pick<std::string>({"", " Try it this week.", " Save this for later.", " What's yours?"}, rng);
}

}  // namespace

std::vector<HookType> persona_hooks(const std::string& generator) {
  std::vector<HookType> out;
  for (HookType h : learn::kAllHookTypes) {
    const auto gens = learn::generators_for_hook(h);
    if (std::find(gens.begin(), gens.end(), generator) != gens.end()) out.push_back(h);
  }
  if (out.empty()) out.push_back(HookType::kStatement);
  return out;
}

std::string compose_offline(const DraftRequest& r, std::mt19937_64& rng) {
  return opening(r, rng) + body(r, rng) + ending(rng);
}

}  // namespace gl::plan
