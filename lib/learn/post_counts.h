// The counters of a post as X reports them: the one struct lib/x parses
// into, scrape-metrics checks and stores, and the learning rules read.
#pragma once

#include <optional>

namespace gl::learn {

// A counter X did not report is unknown (nullopt), never 0.
using Count = std::optional<long long>;

// The largest value a counter can hold: 10^12, over a hundred times as many
// views as there are people. A larger one is a broken reading, not a count;
// the bound also keeps any sum of a post's counters far inside 64 bits.
inline constexpr long long kMaxCount = 1'000'000'000'000;

struct PostCounts {
  Count impressions, likes, retweets, replies, quotes, bookmarks;
  Count profile_clicks, url_clicks;  // private: user context, own posts younger than 30 days
};

struct CounterField {
  const char* name;
  Count PostCounts::*field;
};

inline constexpr CounterField kCounterFields[] = {{"impressions", &PostCounts::impressions},
                                                  {"likes", &PostCounts::likes},
                                                  {"retweets", &PostCounts::retweets},
                                                  {"replies", &PostCounts::replies},
                                                  {"quotes", &PostCounts::quotes},
                                                  {"bookmarks", &PostCounts::bookmarks},
                                                  {"profile_clicks", &PostCounts::profile_clicks},
                                                  {"url_clicks", &PostCounts::url_clicks}};

// Each counter `into` lacks, from `from`: a reading that leaves a counter out
// does not make a value known before unknown again.
inline void fill_unknown(PostCounts& into, const PostCounts& from) {
  for (const auto& c : kCounterFields) {
    if (!(into.*c.field)) into.*c.field = from.*c.field;
  }
}

}  // namespace gl::learn
