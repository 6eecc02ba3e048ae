// Which of an account's topics a trend relates to, and on what basis. Pure:
// words only, no I/O. A trend matches a topic when they are the same words
// ("exact"), when a hashtag's words include the topic ("hashtag": #SleepTips
// -> sleep), or when the trend's words include the topic's ("words": "Sleep
// Awareness Week" -> sleep), or when they share a word that names a subject
// ("shared": "Sleep Week" -> "sleep science"; not "week" or "tips"); a word
// matches its plural and -ing forms.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace gl::learn {

struct TrendMatch {
  std::string topic;  // the account's topic, as the account writes it
  std::string basis;  // "exact", "hashtag", "words" or "shared"
};

// The words of a trend or topic: lower case, a hashtag split at its capitals
// and digits, punctuation dropped.
std::vector<std::string> trend_words(const std::string& text);

// Every topic the trend relates to, in the order of `topics`.
std::vector<TrendMatch> match_trend(const std::string& trend,
                                    const std::vector<std::string>& topics);

// Posts a trend has ("12.3K posts", a count) turned into plan-post's score:
// 1 when unknown, growing with the log of the volume.
double trend_score(std::optional<long long> volume);

}  // namespace gl::learn
