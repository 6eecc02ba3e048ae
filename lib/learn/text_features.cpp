#include "learn/text_features.h"

#include <algorithm>
#include <cctype>
#include <regex>

#include "x/tweet_text.h"

namespace gl::learn {

namespace {

bool contains_any(const std::string& s, std::initializer_list<const char*> needles) {
  for (const char* n : needles) {
    if (s.find(n) != std::string::npos) return true;
  }
  return false;
}

bool starts_with_any(const std::string& s, std::initializer_list<const char*> prefixes) {
  for (const char* p : prefixes) {
    if (s.rfind(p, 0) == 0) return true;
  }
  return false;
}

// The opening sentence: up to the first line break or sentence end.
std::string first_sentence(const std::string& text) {
  size_t end = text.size();
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      end = i;
      break;
    }
    if ((c == '.' || c == '?' || c == '!') &&
        (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
      // "3.5" is not a sentence end; "e.g." rarely opens a post.
      end = i + 1;
      break;
    }
  }
  return text.substr(0, end);
}

int count_list_lines(const std::string& text) {
  static const std::regex kItem(R"(^\s*(\d+[.)]|[-*•→✅]|\(\d+\))\s+)");
  int n = 0;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    const std::string line =
        text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (std::regex_search(line, kItem)) ++n;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return n;
}

}  // namespace

std::string lower(const std::string& s) {
  std::string out = s;
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const char* hook_name(HookType h) {
  switch (h) {
    case HookType::kSurprisingStat:
      return "surprising_stat";
    case HookType::kContrarian:
      return "contrarian_take";
    case HookType::kQuestion:
      return "question";
    case HookType::kPersonalStory:
      return "personal_story";
    case HookType::kList:
      return "list";
    case HookType::kHowTo:
      return "how_to";
    case HookType::kMythBusting:
      return "myth_busting";
    case HookType::kStatement:
      return "statement";
  }
  return "statement";
}

const char* hook_label(HookType h) {
  switch (h) {
    case HookType::kSurprisingStat:
      return "Surprising stat";
    case HookType::kContrarian:
      return "Contrarian take";
    case HookType::kQuestion:
      return "Question";
    case HookType::kPersonalStory:
      return "Personal story";
    case HookType::kList:
      return "List";
    case HookType::kHowTo:
      return "How-to";
    case HookType::kMythBusting:
      return "Myth-busting";
    case HookType::kStatement:
      return "Statement";
  }
  return "Statement";
}

bool parse_hook(const std::string& name, HookType& out) {
  for (HookType h : kAllHookTypes) {
    if (name == hook_name(h)) {
      out = h;
      return true;
    }
  }
  return false;
}

TextFeatures analyze_text(const std::string& text) {
  static const std::regex kDigit(R"(\d)");
  static const std::regex kStat(
      R"((\d+(\.\d+)?\s*(%|percent|x\b|times\b)|\b\d+\s+(in|out of)\s+\d+|\b\d{2,}\b))");
  static const std::regex kListHead(
      R"(^\s*(the\s+)?(top\s+)?\d+\s+(\w+\s+)?(ways|things|reasons|tips|habits|mistakes|signs|rules|lessons|steps|facts|truths)\b)");
  TextFeatures f;
  const std::string lo = lower(text);
  const std::string opening = lower(first_sentence(text));
  f.weighted_length = x::weighted_length(text);
  f.length_band = f.weighted_length < 100 ? "short" : f.weighted_length < 200 ? "medium" : "long";
  f.has_numbers = std::regex_search(lo, kDigit);
  f.has_question = lo.find('?') != std::string::npos;
  f.has_url = contains_any(lo, {"http://", "https://"});
  f.words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    const bool space = std::isspace(c) != 0;
    if (!space && !in_word) ++f.words;
    in_word = !space;
  }
  const std::string ending = lo.size() > 80 ? lo.substr(lo.size() - 80) : lo;
  f.has_cta = contains_any(
      ending, {"follow", "save this", "bookmark", "repost", "share this", "reply", "comment",
               "what do you think", "let me know", "try this", "try it", "your turn", "agree?",
               "thoughts?", "would you", "have you", "do you", "what's yours", "tell me"});

  const int list_lines = count_list_lines(text);
  // Structure, not subject: "nutrition myths" is a topic, "Myth:" is a hook.
  if (starts_with_any(opening, {"myth", "the myth", "a myth", "biggest myth"}) ||
      contains_any(opening, {"myth:", "misconception", "isn't true", "is not true", "is a lie",
                             "debunk", "stop believing", "lie you", "you've been told"})) {
    f.hook = HookType::kMythBusting;
  } else if (contains_any(opening,
                          {"unpopular opinion", "contrary to", "everyone says", "everyone thinks",
                           "most people think", "most people believe", "overrated", "hot take",
                           "the opposite", "forget what", "stop telling", " is wrong", " are wrong",
                           "conventional wisdom"})) {
    f.hook = HookType::kContrarian;
  } else if (!opening.empty() && opening.back() == '?') {
    f.hook = HookType::kQuestion;
  } else if (list_lines >= 2 || std::regex_search(opening, kListHead)) {
    f.hook = HookType::kList;
  } else if (starts_with_any(opening, {"how to", "here's how", "here is how", "step 1",
                                       "a simple way to", "the protocol", "do this"}) ||
             contains_any(opening, {"here's how", "step-by-step", "step by step"})) {
    f.hook = HookType::kHowTo;
  } else if (starts_with_any(opening, {"i ", "i'", "my ", "last year", "last week", "yesterday",
                                       "years ago", "when i", "a friend", "my client"})) {
    f.hook = HookType::kPersonalStory;
  } else if (std::regex_search(opening, kStat)) {
    f.hook = HookType::kSurprisingStat;
  }

  // Body pattern: what follows the hook.
  const std::string rest = lo.size() > opening.size() ? lo.substr(opening.size()) : "";
  if (f.hook != HookType::kContrarian && f.hook != HookType::kMythBusting &&
      contains_any(lo, {" but ", "however", " yet ", "actually", "turns out", "in reality"})) {
    f.body.push_back("Contrarian take");
  }
  if (contains_any(lo, {"study", "studies", "research", "data", "trial", "meta-analysis",
                        "evidence", "scientists", "paper"}) ||
      (f.hook != HookType::kSurprisingStat && std::regex_search(rest, kStat))) {
    f.body.push_back("Evidence");
  }
  if (contains_any(rest, {"because", "which means", "the reason", "that's why", "mechanism",
                          "this is why", "due to"})) {
    f.body.push_back("Mechanism");
  }
  if (f.hook != HookType::kList && list_lines >= 2) f.body.push_back("Steps");
  if (f.body.empty()) f.body.push_back("Explanation");
  return f;
}

std::string structure_string(const TextFeatures& f) {
  std::string s = std::string("[") + hook_label(f.hook) + "]";
  for (const auto& b : f.body) s += " + [" + b + "]";
  if (f.has_cta) s += " + [Call to action]";
  return s;
}

}  // namespace gl::learn
