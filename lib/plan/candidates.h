// What a plan may choose from right now: topics, fresh trending topics,
// hooks, personas, and for each topic the free posting slots off its
// cooldown, by local hour. Every policy chooses among the same candidates.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "plan/inputs.h"
#include "plan/plan.h"

namespace gl::plan {

struct Slot {
  TimePoint at;
  int local_hour = 0;  // in the account's timezone
  int local_day = 0;   // its local date as yyyymmdd
  int room = 1;        // posts its local day still takes under the daily cap, this one included
};

// Posting slots on the hour within the account's posting hours that keep
// min_spacing_hours from every scheduled post and leave the local day (in the
// account's timezone) under the daily cap: those of the next 24 hours and
// those of the whole local day of the first such slot (within the next two
// days, at most 24). A plan chooses when within the day, not whether to post
// less often than the cap and spacing allow (planning two days ahead, every
// policy that knew its best hour queued both posts there, one post a day),
// and not only among the hours a rolling window leaves (posts locked at the
// same two hours every day).
std::vector<Slot> candidate_slots(const PlanInputs& in, const PlanOptions& o);

// The cooldown: the slots at least cooldown_hours from every use of a topic,
// so no topic is posted twice within that many hours, whatever order the
// posts were planned in.
std::vector<Slot> off_cooldown(const std::vector<Slot>& slots, const std::vector<TimePoint>& uses,
                               double cooldown_hours);

// Local hours of day ("19") in slot order, each mapped to its earliest slot:
// the one hour-to-slot mapping.
struct HourSlots {
  std::vector<std::string> hours;
  std::map<std::string, TimePoint> first_slot;
};
HourSlots hour_slots(const std::vector<Slot>& slots);

struct Candidates {
  std::vector<Slot> free;                  // every free slot, any topic's cooldown aside
  std::vector<std::string> topics;         // with a free slot off their cooldown
  std::vector<std::string> trending;       // likewise, best first
  std::vector<std::string> hooks;          // every hook type
  std::vector<std::string> personas;       // enabled
  std::map<std::string, HourSlots> hours;  // per topic (trending too): its slots by hour
};

// A post placed at one hour leaves the day's next post (where its local day
// takes one more) only the hours at least min_spacing_hours away. Choosing by
// value less what an hour costs the next post, a plan does not take the hour
// of a short window that blocks the window's other hour (with hours 17-21 best
// and 4 h spacing: 17, then 21, rather than 18 and then an hour outside it).
class NextPost {
 public:
  // `hours`: local hour keys, each at the earliest free slot of that hour.
  NextPost(const Candidates& c, const std::vector<std::string>& hours, double min_spacing_hours);
  // `value[i]`: the best plan's value at hours[i], -infinity where no plan has
  // it. Per hour, what placing this post there costs the next one: the best
  // value of the day's other hours less the best of those it leaves (less the
  // worst, when it leaves none); 0 where the day takes no other post.
  std::vector<double> costs(const std::vector<double>& value) const;
  // The hour to take: the highest value less its cost, the first of equals;
  // none when no hour has a plan.
  std::optional<size_t> pick(const std::vector<double>& value) const;

 private:
  struct Other {
    size_t hour;
    bool left;  // still free for the next post
  };
  std::vector<std::vector<Other>> others_;  // per hour: the other hours of a day that takes two
};

// When every topic is cooling in every free slot, the cooldown is dropped
// rather than posting nothing. Throws when there is nothing to choose from
// (no topic, no persona, no free slot).
Candidates candidates(const PlanInputs& in, const PlanOptions& o);

}  // namespace gl::plan
