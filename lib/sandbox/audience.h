// x-sandbox's audience: a hidden ground truth that turns a post (its text and
// posting time) into final metrics, and a growth curve over the post's age.
// Deterministic given the truth, the seed and the tweet id, so repeated reads
// agree and counters never go down. Pure: no I/O.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/clock.h"

namespace gl::sandbox {

// Effects are natural-log multipliers on impressions (0 = neutral).
struct Truth {
  std::string timezone = "UTC";
  double base_impressions = 600;
  long long initial_followers = 1000;
  std::map<std::string, double> topics;   // keyword (case-insensitive) -> effect
  std::array<double, 24> hours{};         // local posting hour -> effect
  std::map<std::string, double> hooks;    // hook name (text_features) -> effect
  std::map<std::string, double> lengths;  // short / medium / long -> effect
  double numbers = 0, question = 0, cta = 0;
  double noise_sd = 0.3;
  double like_rate = 0.02;      // likes per impression for a neutral post
  double er_sensitivity = 0.6;  // how much content quality moves the like rate
  double profile_click_rate = 0.004;
  double follows_per_1000 = 1.5;  // followers per 1000 impressions, neutral post
  double growth_hours = 6;        // metrics reach 63% of final after this age
  // Audiences drift: from shift_at on, shifted replaces this truth.
  std::optional<TimePoint> shift_at;
  std::shared_ptr<Truth> shifted;
};

// Parses a truth file's JSON; missing keys keep their defaults. Throws
// gl::Error naming the key on a bad value.
Truth parse_truth(const nlohmann::json& j, const std::string& source);
nlohmann::json truth_to_json(const Truth& t);
// The default truth: a clear but not trivial signal for the demo and tests.
Truth default_truth();

// The truth in force at a time.
const Truth& active_truth(const Truth& t, TimePoint at);

struct FinalMetrics {
  double impressions = 0, likes = 0, retweets = 0, replies = 0, quotes = 0, bookmarks = 0;
  double profile_clicks = 0, url_clicks = 0, follows = 0;
};

// The content-and-time effect of a post under a truth (log scale, no noise).
double log_effect(const Truth& t, const std::string& text, TimePoint posted_at);

// Expected final metrics (no noise), for computing the best possible policy.
FinalMetrics expected_final(const Truth& t, const std::string& text, TimePoint posted_at);

// A post's final metrics, with the noise of (seed, tweet id).
FinalMetrics final_metrics(const Truth& t, const std::string& text, TimePoint posted_at,
                           unsigned long long seed, const std::string& tweet_id);

// The fraction of final metrics reached at an age (0 before posting).
double growth_fraction(const Truth& t, double age_hours);

// Integer counts at an age: floor(final * fraction), monotone in age.
struct Counts {
  long long impressions, likes, retweets, replies, quotes, bookmarks, profile_clicks, url_clicks;
};
Counts counts_at(const FinalMetrics& f, double fraction);

}  // namespace gl::sandbox
