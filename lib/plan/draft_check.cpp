#include "plan/draft_check.h"

#include <algorithm>

#include "learn/embedding.h"
#include "learn/text_features.h"
#include "x/tweet_text.h"

namespace gl::plan {

std::optional<std::string> check_draft(const std::string& text,
                                       const std::vector<RecentPost>& recent) {
  if (!x::valid_utf8(text)) return "not valid UTF-8";
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return "empty text";
  const std::string lo = learn::lower(text);
  for (const char* placeholder : {"[insert", "{topic", "{{", "lorem ipsum", "todo:", "as an ai",
                                  "[your ", "<placeholder", "i cannot", "i can't help"}) {
    if (lo.find(placeholder) != std::string::npos)
      return std::string("placeholder or refusal text (\"") + placeholder + "\")";
  }
  if (std::count_if(text.begin(), text.end(), [](unsigned char c) { return std::isalpha(c); }) <
      15) {
    return "too little text";
  }
  const int length = x::weighted_length(text);
  if (length > x::kMaxWeightedLength) {
    return "too long: " + std::to_string(length) + " weighted characters > " +
           std::to_string(x::kMaxWeightedLength);
  }
  const auto embedding = learn::local_embedding(text);
  for (const auto& r : recent) {
    const double sim = learn::cosine(
        embedding, r.embedding.empty() ? learn::local_embedding(r.text) : r.embedding);
    if (sim >= kDuplicateSimilarity)
      return "near-duplicate of a recent post (similarity " + std::to_string(sim).substr(0, 4) +
             ")";
  }
  return std::nullopt;
}

std::string clean_llm_text(std::string text) {
  const auto trim = [](std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    const auto e = s.find_last_not_of(" \t\r\n");
    s = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  };
  const auto unquote = [&](std::string& s) {
    if (s.size() >= 2 &&
        ((s.front() == '"' && s.back() == '"') || (s.front() == '\'' && s.back() == '\''))) {
      s = s.substr(1, s.size() - 2);
    }
    trim(s);
  };
  trim(text);
  unquote(text);
  for (const char* label : {"Tweet:", "Post:", "tweet:", "post:"}) {
    if (text.rfind(label, 0) == 0) text = text.substr(std::string(label).size());
  }
  trim(text);
  unquote(text);
  return text;
}

}  // namespace gl::plan
