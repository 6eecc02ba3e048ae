#include "sandbox/reading.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace gl::sandbox {

namespace {

bool letter(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool has_any(const std::string& s, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](const char* w) { return s.find(w) != std::string::npos; });
}

bool starts_with_any(const std::string& s, std::initializer_list<const char*> words) {
  return std::any_of(words.begin(), words.end(), [&](const char* w) { return s.rfind(w, 0) == 0; });
}

// The prose a reader sees: lower case, links, @handles and #tags blanked out.
std::string prose_of(const std::string& text, bool& link) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const bool word_start = i == 0 || !letter(text[i - 1]);
    const std::string rest = text.substr(i, 8);
    std::string lower_rest;
    for (char c : rest)
      lower_rest.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    const bool is_link =
        word_start && (lower_rest.rfind("http://", 0) == 0 ||
                       lower_rest.rfind("https://", 0) == 0 || lower_rest.rfind("www.", 0) == 0);
    if (is_link || (word_start && (text[i] == '@' || text[i] == '#'))) {
      link = link || is_link;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      out.push_back(' ');
      continue;
    }
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[i]))));
    ++i;
  }
  return out;
}

// The opening: up to the first sentence end, colon or line break.
std::string opening_of(const std::string& prose) {
  size_t start = prose.find_first_not_of(" \t\n\"'");
  if (start == std::string::npos) return "";
  for (size_t i = start; i < prose.size(); ++i) {
    const char c = prose[i];
    const bool stop = c == '?' || c == '!' || c == '\n' || c == ':' ||
                      (c == '.' && (i + 1 == prose.size() || prose[i + 1] == ' '));
    if (stop) return prose.substr(start, i + 1 - start);
  }
  return prose.substr(start);
}

// A figure: digits that are not a plain year (1900-2099).
bool has_figure(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])) || (i > 0 && letter(s[i - 1]))) continue;
    size_t j = i;
    while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
    const std::string digits = s.substr(i, j - i);
    const bool year =
        digits.size() == 4 && (digits.rfind("19", 0) == 0 || digits.rfind("20", 0) == 0);
    if (!year) return true;
    i = j;
  }
  return false;
}

// "73%", "3x", "1 in 5", "twice as": a figure meant to impress.
bool leads_with_figure(const std::string& first) {
  if (first.find('%') != std::string::npos) return true;
  if (has_any(first, {" percent", "twice as", "half of"})) return true;
  const auto digit = [&](size_t i) {
    return i < first.size() && std::isdigit(static_cast<unsigned char>(first[i]));
  };
  for (size_t i = 0; i < first.size(); ++i) {
    if (!digit(i)) continue;
    if (first[i + 1] == 'x' && (i + 2 == first.size() || !letter(first[i + 2]))) return true;
    if (first.compare(i + 1, 4, " in ") == 0 && digit(i + 5)) return true;
  }
  return false;
}

// Two or more lines that start with "1." "2)" "-" "•" or "*".
bool enumerated(const std::string& text) {
  int items = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    line.erase(0, line.find_first_not_of(" \t"));
    const bool numbered = line.size() > 2 && std::isdigit(static_cast<unsigned char>(line[0])) &&
                          (line[1] == '.' || line[1] == ')');
    const bool bullet = line.rfind("- ", 0) == 0 || line.rfind("* ", 0) == 0 ||
                        line.rfind("\xE2\x80\xA2", 0) == 0;  // •
    if (numbered || bullet) ++items;
    pos = end + 1;
  }
  return items >= 2;
}

std::string opening_kind(const std::string& raw, const std::string& prose) {
  const std::string first = opening_of(prose);
  if (enumerated(raw) || (!first.empty() && std::isdigit(static_cast<unsigned char>(first[0])) &&
                          first.back() == ':' && first.find('%') == std::string::npos)) {
    return "list";
  }
  if (has_any(first, {"how to ", "here's how", "here is how", "step by step"}) ||
      has_any(prose, {"step 1", "first, ", "then, "})) {
    return "steps";
  }
  if (!first.empty() && first.back() == '?') return "question";
  if (has_any(first, {"myth", "misconception", "isn't true", "is not true", "debunk", "lie "}))
    return "myth";
  if (has_any(first, {"unpopular opinion", "hot take", "everyone says", "everyone thinks",
                      "most people think", "overrated", "backwards", "wrong about", "stop ",
                      "don't believe", "nobody tells you"})) {
    return "pushback";
  }
  if (leads_with_figure(first)) return "figure";
  if (starts_with_any(first, {"i ", "i'", "my ", "when i ", "last year", "years ago", "yesterday",
                              "this morning", "we "})) {
    return "story";
  }
  return "plain";
}

bool asks_to_act(const std::string& prose) {
  return has_any(prose, {"follow ",     "follow for",       "reply ",    "comment",   "share this",
                         "retweet",     "repost",           "bookmark",  "save this", "tag a",
                         "tag someone", "let me know",      "tell me",   "drop a",    "try this",
                         "try it",      "sign up",          "subscribe", "join us",   "dm me",
                         "your turn",   "what do you think"});
}

// Characters, not bytes: UTF-8 continuation bytes do not count.
size_t characters(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string topic_of(const std::string& prose, const std::vector<std::string>& topics) {
  std::string best;
  size_t best_at = std::string::npos;
  for (const auto& t : topics) {
    if (t.empty()) continue;
    for (size_t at = prose.find(t); at != std::string::npos; at = prose.find(t, at + 1)) {
      if (at > 0 && letter(prose[at - 1])) continue;
      if (at < best_at || (at == best_at && t.size() > best.size())) {
        best = t;
        best_at = at;
      }
      break;
    }
  }
  return best;
}

}  // namespace

Reading read_post(const std::string& text, const std::vector<std::string>& topics) {
  Reading r;
  const std::string prose = prose_of(text, r.link);
  r.topic = topic_of(prose, topics);
  r.opening = opening_kind(text, prose);
  const size_t n = characters(text);
  r.size = n < 80 ? "brief" : n < 180 ? "mid" : "full";
  r.numbers = has_figure(prose);
  r.question = prose.find('?') != std::string::npos;
  r.cta = asks_to_act(prose);
  return r;
}

}  // namespace gl::sandbox
