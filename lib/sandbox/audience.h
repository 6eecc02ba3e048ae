// x-sandbox's audience: turns a post (its reading, time and author) into an
// expected reach and a rate per impression for each action, then draws the
// post's final counts from them (lognormal reach with an occasional heavy-tail
// multiplier, negative binomial counts), and grows the counts with age.
// Deterministic given the truth, the seed and the tweet id, so repeated reads
// agree and counters never go down. Pure: no I/O.
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "sandbox/reading.h"
#include "sandbox/truth.h"

namespace gl::sandbox {

// What the audience knows of the author when a post goes out.
struct AuthorState {
  double followers = 0;  // at posting time; 0 = the truth's initial_followers
  struct Post {
    TimePoint at;
    std::string topic, opening;  // as the audience read it (reading.h)
  };
  std::vector<Post> recent;  // the author's own earlier posts (fatigue)
  bool reply = false;        // a reply in the author's own thread
};

// The expected outcome of a post: mean impressions and mean count of each action.
struct FinalMetrics {
  double impressions = 0;
  PerAction actions{};
};

// The truth's model of one post, before any noise.
struct Outlook {
  Reading reading;
  double log_reach = 0;     // ln(median impressions before the tail)
  double content = 0;       // the content part of the reach effect (moves every rate)
  PerAction rate{};         // per impression, median
  double viral_chance = 0;  // of a heavy-tail multiplier
};
Outlook outlook(const Truth& active, const std::string& text, TimePoint posted_at,
                const AuthorState& author);

// Mean final metrics (noise and tail averaged out): the oracle's view.
FinalMetrics expected_final(const Truth& t, const std::string& text, TimePoint posted_at,
                            const AuthorState& author);

// A post's final counts, drawn with the randomness of (seed, tweet id).
FinalMetrics draw_final(const Truth& t, const std::string& text, TimePoint posted_at,
                        const AuthorState& author, unsigned long long seed,
                        const std::string& tweet_id);

// The fraction of final metrics reached at an age (0 before posting).
double growth_fraction(const Truth& t, double age_hours);

// Integer counts at an age: floor(final * fraction), monotone in age.
struct Counts {
  long long impressions = 0;
  std::array<long long, kActionCount> actions{};
  long long engagement() const {
    return actions[kLikes] + actions[kRetweets] + actions[kReplies] + actions[kQuotes] +
           actions[kBookmarks];
  }
};
Counts counts_at(const FinalMetrics& f, double fraction);

}  // namespace gl::sandbox
