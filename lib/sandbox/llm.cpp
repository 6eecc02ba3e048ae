#include "sandbox/llm.h"

#include <array>
#include <cctype>
#include <cmath>

#include "core/hash.h"

namespace gl::sandbox {

namespace {

// The value of a "Label: value" line of the prompt, up to a parenthesis.
std::string prompt_line(const std::string& prompt, const std::string& label) {
  size_t at = 0;
  while ((at = prompt.find(label + ":", at)) != std::string::npos) {
    if (at == 0 || prompt[at - 1] == '\n') break;
    at += label.size();
  }
  if (at == std::string::npos) return "";
  const size_t start = prompt.find_first_not_of(' ', at + label.size() + 1);
  if (start == std::string::npos) return "";
  const size_t end = prompt.find_first_of("\n(", start);
  std::string v = prompt.substr(start, end == std::string::npos ? std::string::npos : end - start);
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  return v;
}

// Picks deterministic numbers and phrases from the prompt's hash.
class Dice {
 public:
  explicit Dice(const std::string& prompt) : state_(fnv1a64(prompt)) {}
  size_t roll(size_t n) {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<size_t>((state_ >> 33) % n);
  }
  template <size_t N>
  const char* one(const std::array<const char*, N>& options) {
    return options[roll(N)];
  }
  std::string number(int lo, int hi) {
    return std::to_string(lo + static_cast<int>(roll(static_cast<size_t>(hi - lo + 1))));
  }

 private:
  unsigned long long state_;
};

std::string fill(std::string pattern, const std::string& topic, Dice& dice) {
  const auto put = [&](const std::string& mark, const std::string& value) {
    for (size_t at = pattern.find(mark); at != std::string::npos; at = pattern.find(mark, at)) {
      pattern.replace(at, mark.size(), value);
      at += value.size();
    }
  };
  put("{T}", topic);
  put("{p}", dice.number(12, 88));
  put("{n}", dice.number(2, 9));
  put("{m}", dice.number(5, 40));
  return pattern;
}

// The kind of opening a "Hook:" line asks for, by the words in it.
std::string wanted_opening(std::string hook) {
  for (char& c : hook) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto has = [&](const char* w) { return hook.find(w) != std::string::npos; };
  if (has("statement") || has("plain")) return "plain";
  if (has("stat") || has("number") || has("figure")) return "figure";
  if (has("contrarian") || has("pushback") || has("opinion")) return "pushback";
  if (has("question")) return "question";
  if (has("story") || has("personal")) return "story";
  if (has("list")) return "list";
  if (has("how") || has("step")) return "steps";
  if (has("myth")) return "myth";
  return "plain";
}

std::string opening(const std::string& kind, const std::string& topic, Dice& dice) {
  using Options = std::array<const char*, 4>;
  if (kind == "figure") {
    return fill(dice.one(Options{"{p}% of people who set out to fix their {T} quit within a week.",
                                 "Only {p}% of {T} routines survive their first month.",
                                 "A {n}x gap in {T} results comes down to one overlooked habit.",
                                 "{p}% of what gets shared about {T} was never measured."}),
                topic, dice);
  }
  if (kind == "question") {
    return fill(dice.one(Options{"Which {T} habit would you never give up?",
                                 "Why do smart people keep getting {T} wrong?",
                                 "What does your {T} look like on a bad week?",
                                 "Could your {T} plan survive a month of travel?"}),
                topic, dice);
  }
  if (kind == "story") {
    return fill(
        dice.one(Options{"I spent {n} weeks rebuilding my {T} from scratch.",
                         "My {T} fell apart last winter, and rebuilding it taught me patience.",
                         "I kept a {T} journal for {m} days and one pattern stood out.",
                         "My first serious attempt at {T} failed in {n} days."}),
        topic, dice);
  }
  if (kind == "list") {
    static constexpr std::array<const char*, 8> kItems = {
        "- Keep the first step small", "- Do it at the same hour",   "- Write one line about it",
        "- Drop what you dread",       "- Ask a friend to check in", "- Plan the hard days first",
        "- Count streaks, not scores", "- Rest on purpose"};
    const size_t a = dice.roll(kItems.size());
    const size_t b = (a + 1 + dice.roll(kItems.size() - 1)) % kItems.size();
    size_t c = (b + 1) % kItems.size();
    if (c == a) c = (c + 1) % kItems.size();
    return fill(dice.one(Options{"{n} {T} lessons worth keeping:", "What finally worked for {T}:",
                                 "My {T} checklist:", "{T}, the short version:"}),
                topic, dice) +
           "\n" + kItems[a] + "\n" + kItems[b] + "\n" + kItems[c];
  }
  if (kind == "steps") {
    return fill(dice.one(Options{"How to build a {T} routine that lasts: start tiny, anchor it to "
                                 "something you already do, review it on Sundays.",
                                 "Here's how to reset your {T} in a week: one change a day, "
                                 "written down, checked at night.",
                                 "How to make {T} stick: Step 1, pick a time. Step 2, shrink "
                                 "the task. Step 3, never miss twice.",
                                 "How to measure your {T} without an app: a notebook, {n} "
                                 "questions, {m} seconds each evening."}),
                topic, dice);
  }
  if (kind == "pushback") {
    return fill(dice.one(Options{"Unpopular opinion: most {T} advice is noise.",
                                 "Everyone says {T} takes motivation. It takes a calendar.",
                                 "Hot take: you are overthinking your {T}.",
                                 "The usual {T} advice is overrated, and the data agrees."}),
                topic, dice);
  }
  if (kind == "myth") {
    return fill(dice.one(Options{"Myth: {T} only improves with expensive gear.",
                                 "The most common {T} misconception is that more is always better.",
                                 "Myth: you are either good at {T} or you are not.",
                                 "The {T} myth that refuses to die: results come from intensity."}),
                topic, dice);
  }
  return fill(
      dice.one(Options{"{T} is a practice, not a project.", "Small, steady {T} beats big bursts.",
                       "Good {T} is mostly quiet repetition.",
                       "{T} gets easier once it stops being a debate."}),
      topic, dice);
}

}  // namespace

std::string chat_answer(const nlohmann::json& messages) {
  std::string prompt;
  if (messages.is_array()) {
    for (const auto& m : messages) {
      if (m.is_object() && m.value("role", "") == "user" && m.contains("content") &&
          m["content"].is_string()) {
        prompt = m["content"].get<std::string>();
      }
    }
  }
  std::string topic = prompt_line(prompt, "Topic");
  if (topic.empty()) topic = "this";
  Dice dice(prompt);
  const std::string kind = wanted_opening(prompt_line(prompt, "Hook"));
  std::string post = opening(kind, topic, dice);
  if (!post.empty() && post[0] >= 'a' && post[0] <= 'z') post[0] = static_cast<char>(post[0] - 32);
  if (kind == "list") return post;
  static constexpr std::array<const char*, 8> kClosers = {" Worth a try this week.",
                                                          " Keep it simple.",
                                                          " Consistency does the heavy lifting.",
                                                          " Measure before you change anything.",
                                                          " Start where you are.",
                                                          " The basics are still undefeated.",
                                                          " Boring works.",
                                                          " Your future self will notice."};
  const size_t first = dice.roll(kClosers.size());
  post += kClosers[first];
  if (dice.roll(2) == 0)
    post += kClosers[(first + 1 + dice.roll(kClosers.size() - 1)) % kClosers.size()];
  return post;
}

std::vector<float> text_embedding(const std::string& text, int dims) {
  std::vector<float> v(static_cast<size_t>(std::max(dims, 1)), 0.0f);
  std::string s = " ";
  for (unsigned char c : text) {
    const char lower = static_cast<char>(std::tolower(c));
    if (!std::isspace(c) || s.back() != ' ') s.push_back(std::isspace(c) ? ' ' : lower);
  }
  s.push_back(' ');
  for (size_t i = 0; i + 3 <= s.size(); ++i) {
    const unsigned long long h = fnv1a64(s.substr(i, 3));
    v[h % v.size()] += (h >> 62) & 1 ? -1.0f : 1.0f;
  }
  double norm = 0;
  for (float x : v) norm += static_cast<double>(x) * x;
  if (norm > 0) {
    for (float& x : v) x = static_cast<float>(x / std::sqrt(norm));
  }
  return v;
}

}  // namespace gl::sandbox
