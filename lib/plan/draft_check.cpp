#include "plan/draft_check.h"

#include <fmt/format.h>

#include <algorithm>

#include "learn/embedding.h"
#include "learn/text_features.h"
#include "x/tweet_text.h"

namespace gl::plan {

namespace {

// A topic or hashtag as a tag compares: Unicode's lower case, without '#' and spaces.
std::string tag_key(const std::string& text) {
  std::string key;
  for (const char c : learn::lower_unicode(text))
    if (c != '#' && c != ' ') key += c;
  return key;
}

// The topic's own tag: the topic as one, or a hashtag X reads inside it
// ("#self-care" is #self to X).
bool topics_tag(const std::string& hashtag, const std::string& topic) {
  if (tag_key(hashtag) == tag_key(topic)) return true;
  const auto own = x::extract_hashtags(topic);
  return std::any_of(own.begin(), own.end(),
                     [&](const x::Entity& e) { return tag_key(e.text) == tag_key(hashtag); });
}

}  // namespace

std::optional<std::string> check_draft(const std::string& text, const std::string& topic,
                                       const std::vector<RecentPost>& recent) {
  if (!x::valid_utf8(text)) return "not valid UTF-8";
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return "empty text";
  // No control character but line breaks and tabs: PostgreSQL's text ends at
  // a NUL, and X shows none of them.
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7F)
      return "control character " + fmt::format("U+{:04X}", c);
  }
  // The typographic apostrophe is the typed one: "I can’t" is "I can't".
  std::string lo = learn::lower(text);
  for (size_t p; (p = lo.find("\xE2\x80\x99")) != std::string::npos;) lo.replace(p, 3, "'");
  for (const char* placeholder : {"[insert", "{topic", "{{", "lorem ipsum", "todo:", "[your ",
                                  "<placeholder", "<think>", "</think>"}) {
    if (lo.find(placeholder) != std::string::npos)
      return std::string("placeholder text (\"") + placeholder + "\")";
  }
  // What a chat model says when it declines, or when it speaks about itself.
  for (const char* refusal :
       {"as an ai",         "as a language model", "as an language model",
        "i cannot",         "i can't help",        "i can't assist",
        "i can't write",    "i can't create",      "i can't provide",
        "i can't do that",  "i won't write",       "i won't create",
        "i won't help",     "i won't be able",     "i'm unable to",
        "i am unable to",   "i'm not able to",     "i am not able to",
        "i'm sorry, but i", "i am sorry, but i",   "sorry, i can't",
        "sorry, i won't",   "sorry, but i can't",  "anything else i can help"}) {
    if (lo.find(refusal) != std::string::npos)
      return std::string("refusal text (\"") + refusal + "\")";
  }
  if (learn::letter_count(text) < 15) return "too little text";
  // A mention notifies its account: growthloop writes to no one who did not ask
  // (an LLM's "as @someone said" would).
  if (const auto mentions = x::extract_mentions(text); !mentions.empty())
    return "mentions @" + mentions.front().text + ": a post notifies no account that did not ask";
  // The prompt asks for none but the topic's own: a tag an LLM adds on its own
  // joins the post to a conversation nobody chose.
  for (const auto& hashtag : x::extract_hashtags(text)) {
    if (!topics_tag(hashtag.text, topic))
      return "hashtag #" + hashtag.text + ": the prompt asks for none";
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
  // A reasoning model's thinking, before its answer: <think>...</think>, or
  // only the closing tag when the template opened it.
  for (size_t open; (open = text.find("<think>")) != std::string::npos;) {
    const size_t close = text.find("</think>", open);
    text.erase(open, close == std::string::npos ? std::string::npos : close + 8 - open);
  }
  if (const size_t close = text.find("</think>"); close != std::string::npos)
    text.erase(0, close + 8);
  trim(text);
  // A line introducing the post ("Here's a post about sleep:", "Sure! Here
  // is your tweet:"), then a blank line, then the post.
  if (const size_t blank = text.find("\n\n"); blank != std::string::npos) {
    const std::string intro = learn::lower(text.substr(0, blank));
    const bool one_line = intro.find('\n') == std::string::npos;
    const bool introduces = intro.rfind("here", 0) == 0 || intro.rfind("sure", 0) == 0 ||
                            intro.rfind("certainly", 0) == 0 || intro.rfind("of course", 0) == 0 ||
                            intro.rfind("okay", 0) == 0;
    if (one_line && introduces && !intro.empty() && intro.back() == ':') text.erase(0, blank + 2);
  }
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
