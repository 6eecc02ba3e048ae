// What a plan may choose from right now: topics, fresh trending topics,
// hooks, personas, and for each topic the free posting slots off its
// cooldown, by local hour. Every policy chooses among the same candidates.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/clock.h"
#include "plan/inputs.h"
#include "plan/plan.h"

namespace gl::plan {

struct Slot {
  TimePoint at;
  int local_hour = 0;  // in the account's timezone
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
  std::vector<std::string> topics;         // with a free slot off their cooldown
  std::vector<std::string> trending;       // likewise, best first
  std::vector<std::string> hooks;          // every hook type
  std::vector<std::string> personas;       // enabled
  std::map<std::string, HourSlots> hours;  // per topic (trending too): its slots by hour
};

// When every topic is cooling in every free slot, the cooldown is dropped
// rather than posting nothing. Throws when there is nothing to choose from
// (no topic, no persona, no free slot).
Candidates candidates(const PlanInputs& in, const PlanOptions& o);

}  // namespace gl::plan
