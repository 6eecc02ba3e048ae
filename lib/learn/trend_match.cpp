#include "learn/trend_match.h"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace gl::learn {

namespace {

bool same_word(const std::string& a, const std::string& b) {
  if (a == b) return true;
  const auto stem = [](std::string w) {
    for (const char* suffix : {"ing", "es", "s"}) {
      const std::string s(suffix);
      if (w.size() > s.size() + 3 && w.compare(w.size() - s.size(), s.size(), s) == 0)
        return w.substr(0, w.size() - s.size());
    }
    return w;
  };
  return stem(a) == stem(b);
}

// True when `needle` occurs as consecutive words of `hay`.
bool contains_words(const std::vector<std::string>& hay, const std::vector<std::string>& needle) {
  if (needle.empty() || needle.size() > hay.size()) return false;
  for (size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    bool all = true;
    for (size_t j = 0; j < needle.size() && all; ++j) all = same_word(hay[i + j], needle[j]);
    if (all) return true;
  }
  return false;
}

// Words that say nothing of a trend's subject ("Sleep Week", "#FocusTips").
bool generic(const std::string& w) {
  static const std::vector<std::string> kGeneric = {
      "week", "weekend", "tips", "today", "news", "month", "live", "time",  "year", "best", "this",
      "that", "with",    "from", "your",  "what", "when",  "day",  "daily", "the",  "and",  "for"};
  return w.size() < 4 || std::find(kGeneric.begin(), kGeneric.end(), w) != kGeneric.end();
}

bool shares_word(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const auto& x : a) {
    if (generic(x)) continue;
    for (const auto& y : b) {
      if (same_word(x, y)) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> trend_words(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  const auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  const bool hashtag = !text.empty() && (text[0] == '#');
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {  // other scripts: kept as they are
      cur += static_cast<char>(c);
    } else if (std::isalnum(c)) {
      // In a hashtag a capital after a lower-case letter starts a word.
      if (hashtag && std::isupper(c) && i > 0 &&
          std::islower(static_cast<unsigned char>(text[i - 1])))
        flush();
      cur += static_cast<char>(std::tolower(c));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::vector<TrendMatch> match_trend(const std::string& trend,
                                    const std::vector<std::string>& topics) {
  std::vector<TrendMatch> out;
  const auto words = trend_words(trend);
  const bool hashtag = !trend.empty() && trend[0] == '#';
  for (const auto& topic : topics) {
    const auto tw = trend_words(topic);
    if (tw.empty()) continue;
    if (tw.size() == words.size() && contains_words(words, tw)) {
      out.push_back({topic, "exact"});
    } else if (contains_words(words, tw)) {
      out.push_back({topic, hashtag ? "hashtag" : "words"});
    } else if (shares_word(words, tw)) {
      out.push_back({topic, "shared"});
    }
  }
  return out;
}

double trend_score(std::optional<long long> volume) {
  if (!volume || *volume <= 0) return 1;
  return 1 + std::log10(1 + static_cast<double>(*volume) / 1000.0);
}

}  // namespace gl::learn
