#include "plan/candidates.h"

#include <limits>

#include "core/error.h"
#include "core/timezone.h"
#include "learn/text_features.h"

namespace gl::plan {

namespace {
bool same_day(const LocalTime& a, const LocalTime& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}
}  // namespace

std::vector<Slot> candidate_slots(const PlanInputs& in, const PlanOptions& o) {
  constexpr int kHoursAhead = 48;
  constexpr int kDayAhead = 24;
  constexpr size_t kMaxSlots = 24;
  const auto spacing = std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(o.min_spacing_hours * 3600));
  const std::vector<LocalTime> scheduled_local = to_local(in.scheduled, in.timezone);
  const auto start = std::chrono::floor<std::chrono::hours>(in.now) + std::chrono::hours(1);
  std::vector<TimePoint> hours;
  for (int h = 0; h < kHoursAhead; ++h) hours.push_back(start + std::chrono::hours(h));
  const std::vector<LocalTime> hours_local = to_local(hours, in.timezone);
  std::vector<Slot> out;
  std::vector<LocalTime> out_local;
  for (size_t h = 0; h < hours.size() && out.size() < kMaxSlots; ++h) {
    const TimePoint slot = hours[h];
    const LocalTime& local = hours_local[h];
    if (!in.posting_hours.allows(local.hour)) continue;
    bool spaced = true;
    int posts_that_day = 0;
    for (size_t i = 0; i < in.scheduled.size(); ++i) {
      const TimePoint s = in.scheduled[i];
      if (slot - s < spacing && s - slot < spacing) spaced = false;
      if (same_day(scheduled_local[i], local)) ++posts_that_day;
    }
    if (spaced && posts_that_day < o.daily_cap) {
      out.push_back({slot, local.hour, local.year * 10000 + local.month * 100 + local.day,
                     o.daily_cap - posts_that_day});
      out_local.push_back(local);
    }
  }
  // The free slots of the next 24 hours and of the whole local day of the
  // first free slot: a post is not deferred past a day with room, and when the
  // next free slot is on a later day (today is full), every free hour of that
  // day is a candidate. (The next 24 hours alone locked the hours in: with
  // today full, the only free slot before the same time tomorrow was the hour
  // just posted, so posts went out at the same two hours every day whatever
  // a policy knew.)
  std::vector<Slot> day;
  if (!out.empty()) {
    const TimePoint day_end = start + std::chrono::hours(kDayAhead);
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i].at < day_end || same_day(out_local[i], out_local.front())) day.push_back(out[i]);
    }
  }
  return day;
}

std::vector<Slot> off_cooldown(const std::vector<Slot>& slots, const std::vector<TimePoint>& uses,
                               double cooldown_hours) {
  std::vector<Slot> out;
  for (const Slot& s : slots) {
    bool cool = true;
    for (const TimePoint& u : uses) {
      if (std::abs(hours_between(u, s.at)) < cooldown_hours) cool = false;
    }
    if (cool) out.push_back(s);
  }
  return out;
}

HourSlots hour_slots(const std::vector<Slot>& slots) {
  HourSlots out;
  for (const Slot& s : slots) {
    const std::string hour = std::to_string(s.local_hour);
    if (out.first_slot.emplace(hour, s.at).second) out.hours.push_back(hour);
  }
  return out;
}

NextPost::NextPost(const Candidates& c, const std::vector<std::string>& hours,
                   double min_spacing_hours)
    : others_(hours.size()) {
  std::map<std::string, const Slot*> earliest;  // each hour's first free slot
  for (const Slot& s : c.free) earliest.emplace(std::to_string(s.local_hour), &s);
  std::vector<const Slot*> slot(hours.size(), nullptr);
  for (size_t i = 0; i < hours.size(); ++i) {
    const auto it = earliest.find(hours[i]);
    if (it != earliest.end()) slot[i] = it->second;
  }
  for (size_t i = 0; i < hours.size(); ++i) {
    if (!slot[i] || slot[i]->room < 2) continue;
    for (size_t j = 0; j < hours.size(); ++j) {
      if (j == i || !slot[j] || slot[j]->local_day != slot[i]->local_day) continue;
      others_[i].push_back(
          {j, std::abs(hours_between(slot[i]->at, slot[j]->at)) >= min_spacing_hours});
    }
  }
}

std::vector<double> NextPost::costs(const std::vector<double>& value) const {
  constexpr double kNone = -std::numeric_limits<double>::infinity();
  std::vector<double> cost(value.size(), 0);
  for (size_t i = 0; i < value.size(); ++i) {
    double best = kNone, best_left = kNone, worst = -kNone;
    for (const Other& o : others_[i]) {
      const double v = value[o.hour];
      if (v == kNone) continue;
      best = std::max(best, v);
      worst = std::min(worst, v);
      if (o.left) best_left = std::max(best_left, v);
    }
    if (best != kNone && value[i] != kNone)
      cost[i] = best - (best_left == kNone ? worst : best_left);
  }
  return cost;
}

std::optional<size_t> NextPost::pick(const std::vector<double>& value) const {
  const std::vector<double> cost = costs(value);
  std::optional<size_t> best;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == -std::numeric_limits<double>::infinity()) continue;
    if (!best || value[i] - cost[i] > value[*best] - cost[*best]) best = i;
  }
  return best;
}

Candidates candidates(const PlanInputs& in, const PlanOptions& o) {
  Candidates c;
  c.free = candidate_slots(in, o);
  const std::vector<Slot>& free = c.free;
  if (free.empty()) throw failure("plan", "no free slot in the next two days");
  const auto keep_cool = [&](const std::vector<std::string>& topics, double cooldown) {
    std::vector<std::string> kept;
    for (const auto& t : topics) {
      if (c.hours.count(t)) {
        kept.push_back(t);  // a topic both listed and trending
        continue;
      }
      const auto uses = in.topic_uses.find(t);
      const auto slots =
          uses == in.topic_uses.end() ? free : off_cooldown(free, uses->second, cooldown);
      if (slots.empty()) continue;
      c.hours[t] = hour_slots(slots);
      kept.push_back(t);
    }
    return kept;
  };
  c.topics = keep_cool(in.topics, o.topic_cooldown_hours);
  c.trending = keep_cool(in.trending, o.topic_cooldown_hours);
  if (c.topics.empty() && c.trending.empty()) {
    c.topics = keep_cool(in.topics, 0);
    c.trending = keep_cool(in.trending, 0);
  }
  if (c.topics.empty() && c.trending.empty()) throw failure("plan", "no topic to write about");
  for (learn::HookType h : learn::kAllHookTypes) {
    const std::string name = learn::hook_name(h);
    if (o.excluded_hooks.count(name) == 0) c.hooks.push_back(name);
  }
  if (c.hooks.empty()) throw failure("plan", "every hook is excluded");
  for (const auto& p : in.personas) c.personas.push_back(p.name);
  if (c.personas.empty()) throw failure("plan", "no enabled persona to write as");
  return c;
}

}  // namespace gl::plan
