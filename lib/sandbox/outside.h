// The other accounts of x-sandbox's world: authors of different sizes who
// post about the truth's topics (and about other things) a few times a day,
// replies under their posts from other authors, and trends that rise and
// fade. Everything follows from the seed and the business clock: the world
// is brought up to the time of each call that reads it, never ahead of it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "sandbox/world.h"

namespace gl::sandbox {

struct SandboxTrend {
  std::string name;
  long long volume = 0;      // posts in the trend
  bool volume_known = true;  // X omits tweet_count for some trends
  std::string category;
};

class Outside {
 public:
  Outside(World& world, unsigned long long seed);

  // Creates the authors on first use, then their posts and replies in every
  // hour that ended at least two hours before `now` (so a reply is never
  // later than `now`), back to eight days before the first call.
  void advance(TimePoint now);

  // Trends of a place at a time, by volume, largest first (woeid 1: the world).
  std::vector<SandboxTrend> trends(long long woeid, TimePoint now) const;

 private:
  struct Author {
    std::string key;
    std::string topic;
    double posts_per_day = 2;
  };
  void create_authors();
  void post_hour(TimePoint hour);
  std::string text_for(const std::string& topic, const std::string& salt) const;

  World& world_;
  unsigned long long seed_;
  std::vector<Author> authors_;
  std::vector<std::string> trend_names_;
  std::optional<TimePoint> done_until_;
};

}  // namespace gl::sandbox
