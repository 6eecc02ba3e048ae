#include "sandbox/audience.h"

#include <cmath>

#include "core/error.h"
#include "core/hash.h"
#include "core/timezone.h"
#include "learn/text_features.h"

namespace gl::sandbox {

namespace {

using nlohmann::json;

unsigned long long mix(unsigned long long x) {
  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A standard normal draw, fixed by (seed, id, stream).
double normal(unsigned long long seed, const std::string& id, int stream) {
  const unsigned long long a =
      mix(seed ^ mix(fnv1a64(id) + static_cast<unsigned long long>(stream) * 2));
  const unsigned long long b = mix(a + 0x632be59bd9b4e019ULL);
  const double u1 = (static_cast<double>(a >> 11) + 0.5) / 9007199254740992.0;
  const double u2 = (static_cast<double>(b >> 11) + 0.5) / 9007199254740992.0;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

double number(const json& j, const char* key, double fallback, const std::string& source) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_number()) throw usage_error(source, std::string("\"") + key + "\" must be a number");
  return it->get<double>();
}

std::map<std::string, double> effects(const json& j, const char* key,
                                      std::map<std::string, double> fallback,
                                      const std::string& source) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_object()) throw usage_error(source, std::string("\"") + key + "\" must be an object");
  std::map<std::string, double> out;
  for (auto& [k, v] : it->items()) {
    if (!v.is_number()) {
      throw usage_error(source, std::string("\"") + key + "." + k + "\" must be a number");
    }
    out[learn::lower(k)] = v.get<double>();
  }
  return out;
}

void apply(const json& j, Truth& t, const std::string& source) {
  if (auto tz = j.find("timezone"); tz != j.end()) {
    if (!tz->is_string()) throw usage_error(source, "\"timezone\" must be a string");
    t.timezone = tz->get<std::string>();
  }
  t.base_impressions = number(j, "base_impressions", t.base_impressions, source);
  t.initial_followers = static_cast<long long>(
      number(j, "initial_followers", static_cast<double>(t.initial_followers), source));
  t.topics = effects(j, "topics", t.topics, source);
  t.hooks = effects(j, "hooks", t.hooks, source);
  t.lengths = effects(j, "lengths", t.lengths, source);
  if (auto h = j.find("hours"); h != j.end()) {
    if (h->is_array() && h->size() == 24) {
      for (size_t i = 0; i < 24; ++i) {
        if (!(*h)[i].is_number()) throw usage_error(source, "\"hours\" must hold 24 numbers");
        t.hours[i] = (*h)[i].get<double>();
      }
    } else if (h->is_object()) {
      for (auto& [k, v] : h->items()) {
        const int hour = std::atoi(k.c_str());
        if (hour < 0 || hour > 23 || !v.is_number()) {
          throw usage_error(source, "\"hours\" keys must be 0-23 with numeric effects");
        }
        t.hours[static_cast<size_t>(hour)] = v.get<double>();
      }
    } else {
      throw usage_error(source, "\"hours\" must be 24 numbers or an object of hour: effect");
    }
  }
  t.numbers = number(j, "numbers", t.numbers, source);
  t.question = number(j, "question", t.question, source);
  t.cta = number(j, "cta", t.cta, source);
  t.noise_sd = number(j, "noise_sd", t.noise_sd, source);
  t.like_rate = number(j, "like_rate", t.like_rate, source);
  t.er_sensitivity = number(j, "er_sensitivity", t.er_sensitivity, source);
  t.profile_click_rate = number(j, "profile_click_rate", t.profile_click_rate, source);
  t.follows_per_1000 = number(j, "follows_per_1000", t.follows_per_1000, source);
  t.growth_hours = number(j, "growth_hours", t.growth_hours, source);
  if (t.base_impressions <= 0 || t.growth_hours <= 0 || t.like_rate <= 0 || t.noise_sd < 0) {
    throw usage_error(source, "base_impressions, growth_hours and like_rate must be positive");
  }
}

}  // namespace

Truth default_truth() {
  Truth t;
  t.timezone = "America/New_York";
  t.topics = {{"sleep", 0.7}, {"focus", 0.1}, {"strength", -0.2}, {"nutrition", -0.4}};
  // Evenings and lunch do best; the night is dead.
  const double hours[24] = {-1.0, -1.2, -1.4, -1.4, -1.2, -0.8, -0.4, 0.0, 0.1, 0.1, 0.0,  0.1,
                            0.4,  0.3,  0.0,  0.0,  0.1,  0.3,  0.6,  0.8, 0.7, 0.3, -0.2, -0.6};
  for (int i = 0; i < 24; ++i) t.hours[static_cast<size_t>(i)] = hours[i];
  t.hooks = {{"surprising_stat", 0.5}, {"contrarian_take", 0.35}, {"myth_busting", 0.3},
             {"question", 0.1},        {"personal_story", 0.2},   {"list", 0.15},
             {"how_to", 0.1},          {"statement", -0.2}};
  t.lengths = {{"short", 0.0}, {"medium", 0.15}, {"long", -0.1}};
  t.numbers = 0.1;
  t.question = 0.05;
  t.cta = 0.05;
  return t;
}

Truth parse_truth(const json& j, const std::string& source) {
  if (!j.is_object()) throw usage_error(source, "expected a JSON object");
  Truth t = default_truth();
  apply(j, t, source);
  if (auto shift = j.find("shift"); shift != j.end()) {
    if (!shift->is_object() || !shift->contains("at") || !(*shift)["at"].is_string()) {
      throw usage_error(source, "\"shift\" must be {\"at\": ISO time, \"truth\": {...}}");
    }
    t.shift_at = parse_iso8601((*shift)["at"].get<std::string>());
    if (!t.shift_at) throw usage_error(source, "\"shift.at\" is not an ISO 8601 time");
    Truth second = t;
    second.shift_at.reset();
    second.shifted.reset();
    apply(shift->value("truth", json::object()), second, source + " (shift.truth)");
    t.shifted = std::make_shared<Truth>(second);
  }
  return t;
}

json truth_to_json(const Truth& t) {
  json j = {{"timezone", t.timezone},
            {"base_impressions", t.base_impressions},
            {"initial_followers", t.initial_followers},
            {"topics", t.topics},
            {"hours", t.hours},
            {"hooks", t.hooks},
            {"lengths", t.lengths},
            {"numbers", t.numbers},
            {"question", t.question},
            {"cta", t.cta},
            {"noise_sd", t.noise_sd},
            {"like_rate", t.like_rate},
            {"er_sensitivity", t.er_sensitivity},
            {"profile_click_rate", t.profile_click_rate},
            {"follows_per_1000", t.follows_per_1000},
            {"growth_hours", t.growth_hours}};
  if (t.shift_at && t.shifted) {
    j["shift"] = {{"at", format_iso8601(*t.shift_at)}, {"truth", truth_to_json(*t.shifted)}};
  }
  return j;
}

const Truth& active_truth(const Truth& t, TimePoint at) {
  if (t.shift_at && t.shifted && at >= *t.shift_at) return *t.shifted;
  return t;
}

namespace {

// Content quality (log scale) and time-of-day effect, split because quality
// also moves the engagement rate and follows.
struct Effects {
  double content = 0;
  double time = 0;
};

Effects effects_of(const Truth& t, const std::string& text, TimePoint posted_at) {
  const auto f = learn::analyze_text(text);
  const std::string lo = learn::lower(text);
  Effects e;
  // The strongest matching topic keyword counts once.
  double topic = 0;
  bool matched = false;
  for (const auto& [keyword, effect] : t.topics) {
    if (lo.find(keyword) != std::string::npos && (!matched || std::abs(effect) > std::abs(topic))) {
      topic = effect;
      matched = true;
    }
  }
  e.content += topic;
  if (auto it = t.hooks.find(learn::hook_name(f.hook)); it != t.hooks.end())
    e.content += it->second;
  if (auto it = t.lengths.find(f.length_band); it != t.lengths.end()) e.content += it->second;
  if (f.has_numbers) e.content += t.numbers;
  if (f.has_question) e.content += t.question;
  if (f.has_cta) e.content += t.cta;
  e.time = t.hours[static_cast<size_t>(to_local(posted_at, t.timezone).hour)];
  return e;
}

FinalMetrics metrics_from(const Truth& t, const Effects& e, double imp_noise, double rate_noise) {
  FinalMetrics m;
  m.impressions = t.base_impressions * std::exp(e.content + e.time + imp_noise);
  const double like_rate = t.like_rate * std::exp(t.er_sensitivity * e.content + rate_noise);
  m.likes = m.impressions * std::min(0.3, like_rate);
  m.retweets = m.likes * 0.15;
  m.replies = m.likes * 0.10;
  m.quotes = m.likes * 0.02;
  m.bookmarks = m.likes * 0.12;
  m.profile_clicks = m.impressions * t.profile_click_rate * std::exp(0.5 * e.content + rate_noise);
  m.url_clicks = 0;
  m.follows = m.impressions / 1000.0 * t.follows_per_1000 * std::exp(0.5 * e.content + rate_noise);
  return m;
}

}  // namespace

double log_effect(const Truth& t, const std::string& text, TimePoint posted_at) {
  const Effects e = effects_of(active_truth(t, posted_at), text, posted_at);
  return e.content + e.time;
}

FinalMetrics expected_final(const Truth& t, const std::string& text, TimePoint posted_at) {
  const Truth& a = active_truth(t, posted_at);
  return metrics_from(a, effects_of(a, text, posted_at), 0, 0);
}

FinalMetrics final_metrics(const Truth& t, const std::string& text, TimePoint posted_at,
                           unsigned long long seed, const std::string& tweet_id) {
  const Truth& a = active_truth(t, posted_at);
  const double imp_noise = a.noise_sd * normal(seed, tweet_id, 1);
  const double rate_noise = 0.5 * a.noise_sd * normal(seed, tweet_id, 2);
  return metrics_from(a, effects_of(a, text, posted_at), imp_noise, rate_noise);
}

double growth_fraction(const Truth& t, double age_hours) {
  if (age_hours <= 0) return 0;
  return 1.0 - std::exp(-age_hours / t.growth_hours);
}

Counts counts_at(const FinalMetrics& f, double fraction) {
  const auto c = [fraction](double v) { return static_cast<long long>(std::floor(v * fraction)); };
  return {c(f.impressions), c(f.likes),     c(f.retweets),       c(f.replies),
          c(f.quotes),      c(f.bookmarks), c(f.profile_clicks), c(f.url_clicks)};
}

}  // namespace gl::sandbox
