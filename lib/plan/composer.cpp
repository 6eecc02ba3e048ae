#include "plan/composer.h"

#include <algorithm>
#include <map>
#include <vector>

#include "learn/formulas.h"

namespace gl::plan {

namespace {

using learn::HookType;

template <typename T>
const T& pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

int between(int lo, int hi, std::mt19937_64& rng) {
  return std::uniform_int_distribution<int>(lo, hi)(rng);
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string opening(const DraftRequest& r, std::mt19937_64& rng) {
  const std::string& t = r.topic;
  const std::string n = std::to_string(between(3, 9, rng));
  const std::string pct = std::to_string(between(41, 93, rng));
  const std::string small = std::to_string(between(8, 29, rng));
  switch (r.hook) {
    case HookType::kSurprisingStat:
      return pick<std::string>(
          {pct + "% of people get " + t + " wrong, and the cost compounds every week.",
           "Only " + small + "% of adults use what we know about " + t + ".",
           "A " + small + "% gain from one change to " + t + ": that is what the data shows.",
           pct + "% of " + t + " advice has never been tested.",
           "People who plan their " + t + " are " + n + "x more likely to stick with it."},
          rng);
    case HookType::kContrarian:
      return pick<std::string>({"Unpopular opinion: most " + t + " advice is overrated.",
                                "Everyone says " + t + " is about discipline. It mostly is not.",
                                "Hot take: you do not need a perfect " + t + " routine.",
                                "Conventional wisdom on " + t + " has it backwards.",
                                "Most people think " + t + " needs more effort. It needs less."},
                               rng);
    case HookType::kQuestion:
      return pick<std::string>({"Why does " + t + " feel harder than it should?",
                                "What if your " + t + " problem is really a timing problem?",
                                "Have you ever wondered why " + t + " advice rarely sticks?",
                                "What would change if you treated " + t + " like training?",
                                "Is " + t + " the most underrated lever you have?"},
                               rng);
    case HookType::kPersonalStory:
      return pick<std::string>(
          {"I changed one thing about my " + t + " for " + n + " weeks.",
           "Last year my " + t + " was a mess. Here is what fixed it.",
           "I tracked my " + t + " for " + n + " months and found a pattern.",
           "I ignored " + t + " for years. Then I measured it for " + n + " weeks.",
           "When I started taking " + t + " seriously, the first week was the hardest."},
          rng);
    case HookType::kList: {
      std::vector<std::string> items = {"Start smaller than feels useful",
                                        "Same time every day",
                                        "Track one number",
                                        "Remove one obstacle",
                                        "Pair it with a habit you keep",
                                        "Review it every Sunday",
                                        "Write the plan down",
                                        "Make the first step tiny",
                                        "Tell one person",
                                        "Expect a bad week"};
      std::shuffle(items.begin(), items.end(), rng);
      const std::string head = pick<std::string>(
          {"3 " + t + " habits that actually work:", "3 " + t + " rules I wish I knew earlier:",
           "3 mistakes people make with " + t + ":", "3 " + t + " tips that survive a busy week:"},
          rng);
      return head + "\n1. " + items[0] + "\n2. " + items[1] + "\n3. " + items[2];
    }
    case HookType::kHowTo:
      return pick<std::string>({"How to get better at " + t + " in " + n + " minutes a day:",
                                "Here's how to make " + t + " automatic:",
                                "How to fix your " + t + " without a new app:",
                                "How to restart " + t + " after a bad month:"},
                               rng);
    case HookType::kMythBusting:
      return pick<std::string>({"Myth: " + t + " is about willpower.",
                                "The biggest misconception about " + t + " is that more is better.",
                                "Stop believing that " + t + " has to be complicated.",
                                "Myth: you can catch up on " + t + " at the weekend.",
                                "The myth that " + t + " is genetic keeps people stuck."},
                               rng);
    case HookType::kStatement:
      return pick<std::string>({capitalised(t) + " is a skill, not a trait.",
                                capitalised(t) + " rewards consistency more than intensity.",
                                "Good " + t + " is built in the boring hours.",
                                capitalised(t) + " is where small choices add up.",
                                "Nobody regrets taking " + t + " seriously."},
                               rng);
  }
  return capitalised(t) + ".";
}

std::string body(const DraftRequest& r, std::mt19937_64& rng) {
  const std::string& t = r.topic;
  if (r.hook == HookType::kList) return "";
  if (r.hook == HookType::kHowTo) {
    return pick<std::string>(
        {" Step 1: pick one cue. Step 2: keep it tiny. Step 3: repeat daily.",
         " Pick one cue, keep it tiny, and repeat it at the same time each day.",
         " Step 1: measure a week. Step 2: change one variable. Step 3: measure again.",
         " Decide the night before, lay out what you need, and start before you feel ready."},
        rng);
  }
  std::vector<std::string> sentences = {
      " Research shows small daily inputs beat rare big efforts.",
      " The reason: your body adapts to signals, not intentions.",
      " The evidence is clear, but almost nobody applies it to " + t + ".",
      " Because habits run on cues, which means timing beats willpower.",
      " Studies keep finding the same thing: consistency wins.",
      " The data says the first two weeks decide most of it.",
      " It turns out the boring version works best.",
      " That is why tracking one number changes behaviour.",
      " Small changes compound; dramatic ones fade.",
      " What matters is the default, not the exception."};
  std::shuffle(sentences.begin(), sentences.end(), rng);
  return sentences[0] + (between(0, 1, rng) ? sentences[1] : "");
}

// A line in the persona's voice, so personas differ in more than their hooks.
std::string voice(const std::string& generator, std::mt19937_64& rng) {
  static const std::map<std::string, std::vector<std::string>> kVoices = {
      {"dataNerd",
       {" Effect sizes matter more than headlines.", " Look at the numbers, not the anecdotes."}},
      {"coach", {" Do it today, not Monday.", " Set it up once, then repeat."}},
      {"storyteller", {" Every setback taught me something.", " The turning point was small."}},
      {"philosopher", {" Attention is the price of change.", " What we repeat, we become."}},
      {"provocateur",
       {" Ask yourself who benefits from the usual advice.", " Question the default."}},
      {"mythBuster", {" Old advice dies slowly.", " Check where the claim came from."}},
      {"contrarian", {" The crowd is not the evidence.", " Popular is not the same as proven."}},
      {"pragmatist",
       {" Good enough, done daily, beats perfect.", " Skip the 80% that barely matters."}},
      {"teacher", {" Learn the why and the how gets easy.", " Master one step before the next."}},
      {"experimenter", {" Test it on yourself for two weeks.", " My N=1 says: measure first."}},
  };
  auto it = kVoices.find(generator);
  if (it == kVoices.end() || between(0, 2, rng) == 0) return "";
  return pick(it->second, rng);
}

std::string ending(std::mt19937_64& rng) {
  return pick<std::string>({"", "", " Try it this week.", " Save this for later.", " What's yours?",
                            " Share this with someone who needs it."},
                           rng);
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
  // A question hook asks the reader; a post that goes on to answer it is a statement.
  if (r.hook == HookType::kQuestion) {
    return opening(r, rng) +
           pick<std::string>({" Reply with yours.", " Tell me below.", " Curious what you think."},
                             rng);
  }
  return opening(r, rng) + body(r, rng) + voice(r.generator, rng) + ending(rng);
}

}  // namespace gl::plan
