#include "import/post_reading.h"

#include <algorithm>
#include <cctype>
#include <exception>
#include <set>
#include <thread>

#include "import/text_key.h"
#include "learn/text_features.h"

namespace gl::import {

namespace {

// Words too common to say what a post is about.
const std::set<std::string> kStopWords = {"the", "and",  "for", "with", "your", "you", "how",
                                          "why", "what", "des", "les",  "und",  "der", "die",
                                          "das", "los",  "las", "del",  "para", "con", "une"};

std::vector<std::string> words_of(const std::string& key) {
  std::vector<std::string> out;
  std::string w;
  for (char ch : key) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c >= 0x80) {
      w += ch;
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

bool ascii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// The prose of a post: without links and @handles, whose letters say nothing
// of its topic (t.co/focusX, @sleepdoc).
std::string prose(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const bool link = text[i] == 'h' &&
                      (text.compare(i, 7, "http://") == 0 || text.compare(i, 8, "https://") == 0);
    const bool handle =
        text[i] == '@' && (i == 0 || std::isspace(static_cast<unsigned char>(text[i - 1])) ||
                           text[i - 1] == '.' || text[i - 1] == '(');
    if (link || handle) {
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
      out += ' ';
      continue;
    }
    out += text[i++];
  }
  return out;
}

}  // namespace

std::string match_topic(const std::string& text, const std::vector<std::string>& topics) {
  const std::string body = text_key(prose(text));
  const std::vector<std::string> words = words_of(body);
  const auto begins_a_word = [&](const std::string& w) {
    if (!ascii(w)) return body.find(w) != std::string::npos;  // scripts without spaces
    for (const auto& t : words) {
      if (t.compare(0, w.size(), w) == 0) return true;
    }
    return false;
  };
  std::string best;
  int best_score = 0;
  for (const auto& topic : topics) {
    const std::vector<std::string> parts = words_of(text_key(topic));
    if (parts.empty()) continue;
    std::string joined;
    for (const auto& p : parts) joined += p;
    // The whole topic: its words in a row, or run together as a hashtag.
    bool whole = false;
    for (size_t k = 0; k + parts.size() <= words.size() && !whole; ++k) {
      bool all = true;
      for (size_t j = 0; j < parts.size() && all; ++j) all = words[k + j] == parts[j];
      whole = all;
    }
    int score = 0;
    if (whole || (parts.size() > 1 && begins_a_word(joined))) {
      score = 1000;
    } else {
      for (const auto& p : parts) {
        if ((p.size() >= 3 || !ascii(p)) && !kStopWords.count(p) && begins_a_word(p)) ++score;
      }
    }
    if (score > best_score) {
      best_score = score;
      best = topic;
    }
  }
  return best_score > 0 ? learn::lower_unicode(best) : kUnmatchedTopic;
}

PostReading read_post(const std::string& text, const std::vector<std::string>& topics) {
  const learn::TagFeatures f = learn::tag_features(text);
  return {match_topic(text, topics), learn::hook_name(f.hook), learn::post_tags(f)};
}

std::vector<PostReading> read_posts(const std::vector<const std::string*>& texts,
                                    const std::vector<std::string>& topics) {
  std::vector<PostReading> out(texts.size());
  // Each thread reads every n-th text: posts' lengths are mixed along a file.
  const size_t n = std::clamp<size_t>(std::thread::hardware_concurrency(), 1,
                                      std::max<size_t>(texts.size() / 64, 1));
  std::vector<std::exception_ptr> errors(n);
  const auto read_share = [&](size_t first) {
    try {
      for (size_t i = first; i < texts.size(); i += n) out[i] = read_post(*texts[i], topics);
    } catch (...) {
      errors[first] = std::current_exception();
    }
  };
  std::vector<std::thread> others;
  for (size_t t = 1; t < n; ++t) others.emplace_back(read_share, t);
  read_share(0);
  for (auto& t : others) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  return out;
}

}  // namespace gl::import
