// The hidden truth of x-sandbox's audience: what it rewards and how noisily.
// A plain struct, a strict parser from JSON (a fuzzer can call parse_truth on
// any JSON value) and its inverse. The names of openings, lengths and topics
// are the sandbox's own reading of text (reading.h), not the learner's.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.h"

namespace gl::sandbox {

// The actions an impression can turn into, each with its own rate.
enum Action : size_t {
  kLikes,
  kRetweets,
  kReplies,
  kQuotes,
  kBookmarks,
  kProfileClicks,
  kFollows,
  kActionCount
};
using PerAction = std::array<double, kActionCount>;
const char* action_name(Action a);  // "likes", "profile_clicks", ...

// How a post opens and how long it is, as the audience reads it (reading.h).
inline constexpr std::array<const char*, 8> kOpenings = {"figure", "question", "story", "list",
                                                         "steps",  "pushback", "myth",  "plain"};
inline constexpr std::array<const char*, 3> kSizes = {"brief", "mid", "full"};

using HourEffects = std::array<double, 24>;  // local hour -> effect

struct Truth;
struct Shift {
  TimePoint at;
  std::shared_ptr<const Truth> truth;  // the whole truth from `at` on
};

// Effects are natural-log multipliers (0 = neutral). Reach effects move
// impressions; the content part of them also moves every action's rate
// (er_sensitivity), and `actions` moves single actions on their own.
struct Truth {
  std::string timezone = "UTC";  // of hours, weekdays and dayparts

  // Reach: a neutral post by an account with initial_followers gets
  // base_impressions; reach scales as (followers / initial)^follower_elasticity.
  double base_impressions = 600;
  long long initial_followers = 1000;
  double follower_elasticity = 0.5;

  std::map<std::string, double> topics;   // topic keyword -> effect
  HourEffects hours{};                    // local posting hour
  std::array<double, 7> weekdays{};       // local weekday, Monday first
  std::map<std::string, double> hooks;    // opening (kOpenings) -> effect
  std::map<std::string, double> lengths;  // size (kSizes) -> effect
  double numbers = 0, question = 0, cta = 0, link = 0;

  // Interactions: a topic's effect by hour of day, an opening's by topic.
  std::map<std::string, HourEffects> topic_hours;
  std::map<std::string, std::map<std::string, double>> hook_topics;  // opening -> topic -> effect

  // Fatigue: each of the author's own posts on the same topic (same opening)
  // in the last fatigue_hours takes this much reach, fading linearly with its age.
  double topic_fatigue = 0, hook_fatigue = 0, fatigue_hours = 24;

  // Rates per impression of a neutral post, and what moves each one. Keys of
  // `actions` are features: "topic:<keyword>", "hook:<opening>",
  // "length:<size>", "numbers", "question", "cta", "link".
  PerAction rates = {0.02, 0.003, 0.002, 0.0004, 0.0024, 0.004, 0.0015};
  double er_sensitivity = 0.6;
  std::array<std::map<std::string, double>, kActionCount> actions;

  // Randomness: lognormal reach (noise_sd), a post-level engagement noise
  // (rate_noise_sd), negative binomial counts (dispersion = the gamma shape;
  // large is Poisson), and the occasional post that travels far: with
  // viral_probability (scaled by how shareable the post is) its reach is
  // multiplied by a Pareto draw (tail index viral_tail, from viral_min, at
  // most viral_max).
  double noise_sd = 0.3, rate_noise_sd = 0.15, dispersion = 6;
  double viral_probability = 0.01, viral_tail = 1.6, viral_min = 3, viral_max = 60;

  double growth_hours = 6;    // metrics reach 63% of final after this age
  double reply_reach = 0.25;  // a reply in the author's own thread, share of reach

  // Drift: from each shift's time on, its truth replaces this one.
  std::vector<Shift> shifts;
};

// Parses a truth file's JSON over the default truth (missing keys keep their
// defaults). Strict: an unknown key, a value of the wrong type or out of range
// throws a usage gl::Error naming the key.
Truth parse_truth(const nlohmann::json& j, const std::string& source);
nlohmann::json truth_to_json(const Truth& t);

// The default truth: a general audience with every kind of structure at a
// moderate strength, for the demo and the tests.
Truth default_truth();

// The truth in force at a time.
const Truth& active_truth(const Truth& t, TimePoint at);

// Every topic keyword the truth names anywhere (topics, interactions, actions).
std::vector<std::string> topic_keywords(const Truth& t);

}  // namespace gl::sandbox
