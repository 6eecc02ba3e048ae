#include "sandbox/truth.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "core/error.h"
#include "core/timezone.h"

namespace gl::sandbox {

namespace {

using nlohmann::json;

constexpr std::array<const char*, 7> kWeekdays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

struct Daypart {
  const char* name;
  int from, to;  // local hours [from, to)
};
constexpr std::array<Daypart, 5> kDayparts = {{{"night", 0, 6},
                                               {"morning", 6, 12},
                                               {"afternoon", 12, 17},
                                               {"evening", 17, 22},
                                               {"late", 22, 24}}};

template <size_t N>
bool one_of(const std::array<const char*, N>& names, const std::string& s) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return s == n; });
}

template <size_t N>
std::string listed(const std::array<const char*, N>& names) {
  std::string out;
  for (const char* n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::string lowered(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads one truth object; every error names the file and the key's path.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw usage_error(source_, "\"" + key + "\" " + what);
  }

  double number(const json& v, const std::string& key, double lo, double hi) const {
    if (!v.is_number()) fail(key, "must be a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi) {
      fail(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    }
    return x;
  }
  double effect(const json& v, const std::string& key) const { return number(v, key, -10, 10); }

  const json& object(const json& v, const std::string& key) const {
    if (!v.is_object()) fail(key, "must be an object");
    return v;
  }

  std::map<std::string, double> effects(const json& v, const std::string& key) const {
    std::map<std::string, double> out;
    for (const auto& [k, x] : object(v, key).items()) {
      if (k.empty()) fail(key, "has an empty name");
      out[lowered(k)] = effect(x, key + "." + k);
    }
    return out;
  }

  template <size_t N>
  std::map<std::string, double> named_effects(const json& v, const std::string& key,
                                              const std::array<const char*, N>& names) const {
    auto out = effects(v, key);
    for (const auto& [k, x] : out) {
      if (!one_of(names, k)) fail(key + "." + k, "is not one of " + listed(names));
    }
    return out;
  }

  // 24 numbers, or {"19": 0.5, "17-22": 0.3, "evening": 0.2} added onto `out`.
  void hours(const json& v, const std::string& key, HourEffects& out) const {
    if (v.is_array()) {
      if (v.size() != 24) fail(key, "must hold 24 numbers");
      for (size_t h = 0; h < 24; ++h) out[h] = effect(v[h], key + "[" + std::to_string(h) + "]");
      return;
    }
    for (const auto& [k, x] : object(v, key).items()) {
      const double e = effect(x, key + "." + k);
      for (int h : hour_range(k, key)) out[static_cast<size_t>(h)] = e;
    }
  }

  // "7", "17-22" (to exclusive, wrapping past midnight) or a daypart's name.
  std::vector<int> hour_range(const std::string& k, const std::string& key) const {
    for (const auto& d : kDayparts) {
      if (k == d.name) return span(d.from, d.to);
    }
    const auto dash = k.find('-');
    const int from = hour_of(k.substr(0, dash), key);
    if (dash == std::string::npos) return {from};
    const int to = hour_of(k.substr(dash + 1), key);
    return span(from, to == 0 ? 24 : to);
  }

  void weekdays(const json& v, const std::string& key, std::array<double, 7>& out) const {
    if (v.is_array()) {
      if (v.size() != 7) fail(key, "must hold 7 numbers, Monday first");
      for (size_t d = 0; d < 7; ++d) out[d] = effect(v[d], key + "[" + std::to_string(d) + "]");
      return;
    }
    for (const auto& [k, x] : object(v, key).items()) {
      const auto it = std::find(kWeekdays.begin(), kWeekdays.end(), lowered(k));
      if (it == kWeekdays.end()) fail(key + "." + k, "is not one of " + listed(kWeekdays));
      out[static_cast<size_t>(it - kWeekdays.begin())] = effect(x, key + "." + k);
    }
  }

 private:
  int hour_of(const std::string& s, const std::string& key) const {
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (s.empty() || s.size() > 2 || !std::all_of(s.begin(), s.end(), digit) || std::stoi(s) > 24) {
      fail(key + "." + s,
           "is not an hour 0-23, a range such as 17-22, or one of night, "
           "morning, afternoon, evening, late");
    }
    return std::stoi(s) % 24;
  }
  static std::vector<int> span(int from, int to) {
    std::vector<int> out;
    for (int h = from; h != to % 24 || out.empty(); h = (h + 1) % 24) {
      out.push_back(h);
      if (out.size() == 24) break;
    }
    return out;
  }

  std::string source_;
};

void apply(const json& j, Truth& t, const Reader& r, const std::string& prefix) {
  r.object(j, prefix.empty() ? "truth" : prefix.substr(0, prefix.size() - 1));
  for (const auto& [key, v] : j.items()) {
    const std::string k = prefix + key;
    if (key == "timezone") {
      if (!v.is_string() || !is_known_timezone(v.get<std::string>())) {
        r.fail(k, "must name an IANA time zone such as \"America/New_York\"");
      }
      t.timezone = v.get<std::string>();
    } else if (key == "base_impressions") {
      t.base_impressions = r.number(v, k, 1, 1e9);
    } else if (key == "initial_followers") {
      t.initial_followers = static_cast<long long>(r.number(v, k, 1, 1e10));
    } else if (key == "follower_elasticity") {
      t.follower_elasticity = r.number(v, k, 0, 3);
    } else if (key == "topics") {
      t.topics = r.effects(v, k);
    } else if (key == "hours") {
      r.hours(v, k, t.hours);
    } else if (key == "weekdays") {
      r.weekdays(v, k, t.weekdays);
    } else if (key == "hooks") {
      t.hooks = r.named_effects(v, k, kOpenings);
    } else if (key == "lengths") {
      t.lengths = r.named_effects(v, k, kSizes);
    } else if (key == "numbers") {
      t.numbers = r.effect(v, k);
    } else if (key == "question") {
      t.question = r.effect(v, k);
    } else if (key == "cta") {
      t.cta = r.effect(v, k);
    } else if (key == "link") {
      t.link = r.effect(v, k);
    } else if (key == "topic_hours") {
      t.topic_hours.clear();
      for (const auto& [topic, hours] : r.object(v, k).items()) {
        if (topic.empty()) r.fail(k, "has an empty topic");
        HourEffects h{};
        r.hours(hours, k + "." + topic, h);
        t.topic_hours[lowered(topic)] = h;
      }
    } else if (key == "hook_topics") {
      t.hook_topics.clear();
      for (const auto& [opening, topics] : r.object(v, k).items()) {
        if (!one_of(kOpenings, opening))
          r.fail(k + "." + opening, "is not one of " + listed(kOpenings));
        t.hook_topics[opening] = r.effects(topics, k + "." + opening);
      }
    } else if (key == "topic_fatigue") {
      t.topic_fatigue = r.number(v, k, 0, 10);
    } else if (key == "hook_fatigue") {
      t.hook_fatigue = r.number(v, k, 0, 10);
    } else if (key == "fatigue_hours") {
      t.fatigue_hours = r.number(v, k, 0.01, 24 * 30);
    } else if (key == "rates") {
      for (const auto& [action, x] : r.object(v, k).items()) {
        size_t a = 0;
        while (a < kActionCount && action != action_name(static_cast<Action>(a))) ++a;
        if (a == kActionCount) r.fail(k + "." + action, "is not an action");
        t.rates[a] = r.number(x, k + "." + action, 1e-9, 0.5);
      }
    } else if (key == "er_sensitivity") {
      t.er_sensitivity = r.number(v, k, 0, 5);
    } else if (key == "actions") {
      t.actions = {};
      for (const auto& [action, features] : r.object(v, k).items()) {
        size_t a = 0;
        while (a < kActionCount && action != action_name(static_cast<Action>(a))) ++a;
        if (a == kActionCount) r.fail(k + "." + action, "is not an action");
        t.actions[a] = r.effects(features, k + "." + action);
        for (const auto& [feature, x] : t.actions[a]) {
          const std::string path = k + "." + action + "." + feature;
          const auto colon = feature.find(':');
          const std::string kind = feature.substr(0, colon);
          const std::string name = colon == std::string::npos ? "" : feature.substr(colon + 1);
          const bool ok =
              (kind == "topic" && !name.empty()) || (kind == "hook" && one_of(kOpenings, name)) ||
              (kind == "length" && one_of(kSizes, name)) ||
              (colon == std::string::npos &&
               (kind == "numbers" || kind == "question" || kind == "cta" || kind == "link"));
          if (!ok) {
            r.fail(path,
                   "is not a feature (topic:<keyword>, hook:<opening>, length:<size>, "
                   "numbers, question, cta, link)");
          }
        }
      }
    } else if (key == "noise_sd") {
      t.noise_sd = r.number(v, k, 0, 3);
    } else if (key == "rate_noise_sd") {
      t.rate_noise_sd = r.number(v, k, 0, 3);
    } else if (key == "dispersion") {
      t.dispersion = r.number(v, k, 0.05, 1e6);
    } else if (key == "viral_probability") {
      t.viral_probability = r.number(v, k, 0, 1);
    } else if (key == "viral_tail") {
      t.viral_tail = r.number(v, k, 0.1, 10);
    } else if (key == "viral_min") {
      t.viral_min = r.number(v, k, 1, 1e4);
    } else if (key == "viral_max") {
      t.viral_max = r.number(v, k, 1, 1e6);
    } else if (key == "growth_hours") {
      t.growth_hours = r.number(v, k, 0.01, 24 * 30);
    } else if (key == "reply_reach") {
      t.reply_reach = r.number(v, k, 0.001, 1);
    } else if (key == "shift" && prefix.empty()) {
      continue;  // parse_truth reads it once the rest is known
    } else {
      r.fail(k, "is not a key of a truth (see bench/audiences/README.md)");
    }
  }
  if (t.viral_max < t.viral_min) r.fail(prefix + "viral_max", "must be at least viral_min");
}

}  // namespace

const char* action_name(Action a) {
  switch (a) {
    case kLikes:
      return "likes";
    case kRetweets:
      return "retweets";
    case kReplies:
      return "replies";
    case kQuotes:
      return "quotes";
    case kBookmarks:
      return "bookmarks";
    case kProfileClicks:
      return "profile_clicks";
    case kFollows:
      return "follows";
    case kActionCount:
      break;
  }
  return "?";
}

Truth default_truth() {
  Truth t;
  t.timezone = "America/New_York";
  t.topics = {{"sleep", 0.6}, {"focus", 0.1}, {"strength", -0.2}, {"nutrition", -0.4}};
  // Evenings and lunch do best; the night is dead.
  t.hours = {-1.0, -1.2, -1.4, -1.4, -1.2, -0.8, -0.4, 0.0, 0.1, 0.1, 0.0,  0.1,
             0.4,  0.3,  0.0,  0.0,  0.1,  0.3,  0.6,  0.8, 0.7, 0.3, -0.2, -0.6};
  t.weekdays = {0.05, 0.1, 0.1, 0.05, -0.1, -0.25, -0.05};
  t.hooks = {{"figure", 0.45}, {"pushback", 0.3}, {"myth", 0.25}, {"question", 0.1},
             {"story", 0.2},   {"list", 0.15},    {"steps", 0.1}, {"plain", -0.2}};
  t.lengths = {{"brief", 0.0}, {"mid", 0.15}, {"full", -0.1}};
  t.numbers = 0.1;
  t.question = 0.05;
  t.cta = 0.05;
  t.link = -0.3;
  // Focus is a morning topic; sleep does better late; stories sell nutrition.
  Reader r("default truth");
  r.hours(json{{"morning", 0.4}, {"evening", -0.3}}, "topic_hours.focus", t.topic_hours["focus"]);
  r.hours(json{{"21-24", 0.3}}, "topic_hours.sleep", t.topic_hours["sleep"]);
  t.hook_topics = {{"story", {{"nutrition", 0.4}}}, {"figure", {{"strength", -0.3}}}};
  t.topic_fatigue = 0.35;
  t.hook_fatigue = 0.1;
  // Questions and pushback start conversations; lists and steps get saved;
  // figures get shared; stories make people look at the author.
  t.actions[kReplies] = {{"hook:question", 0.9}, {"hook:pushback", 0.5}, {"cta", 0.4}};
  t.actions[kQuotes] = {{"hook:pushback", 0.9}};
  t.actions[kRetweets] = {{"hook:figure", 0.4}, {"hook:list", 0.3}, {"numbers", 0.2}};
  t.actions[kBookmarks] = {{"hook:list", 0.8}, {"hook:steps", 0.8}};
  t.actions[kProfileClicks] = {{"hook:story", 0.3}};
  t.actions[kFollows] = {{"hook:story", 0.4}, {"topic:sleep", 0.2}};
  t.actions[kLikes] = {{"hook:question", -0.1}};
  return t;
}

Truth parse_truth(const json& j, const std::string& source) {
  const Reader r(source);
  Truth t = default_truth();
  apply(j, t, r, "");
  const auto shift = j.find("shift");
  if (shift == j.end()) return t;
  const json shifts = shift->is_array() ? *shift : json::array({*shift});
  Truth before = t;
  for (size_t i = 0; i < shifts.size(); ++i) {
    const json& s = shifts[i];
    const std::string key = shift->is_array() ? "shift[" + std::to_string(i) + "]" : "shift";
    if (!s.is_object() || !s.contains("at") || !s["at"].is_string() || !s.contains("truth")) {
      r.fail(key, "must be {\"at\": ISO time, \"truth\": {...}}");
    }
    for (const auto& [k, v] : s.items()) {
      if (k != "at" && k != "truth") r.fail(key + "." + k, "is not at or truth");
    }
    const auto at = parse_iso8601(s["at"].get<std::string>());
    if (!at) r.fail(key + ".at", "is not an ISO 8601 time");
    if (!t.shifts.empty() && *at <= t.shifts.back().at)
      r.fail(key + ".at", "must be later than the shift before");
    apply(s["truth"], before, r, key + ".truth.");
    t.shifts.push_back({*at, std::make_shared<const Truth>(before)});
  }
  return t;
}

json truth_to_json(const Truth& t) {
  json rates = json::object(), actions = json::object();
  for (size_t a = 0; a < kActionCount; ++a) {
    rates[action_name(static_cast<Action>(a))] = t.rates[a];
    if (!t.actions[a].empty()) actions[action_name(static_cast<Action>(a))] = t.actions[a];
  }
  json j = {{"timezone", t.timezone},
            {"base_impressions", t.base_impressions},
            {"initial_followers", t.initial_followers},
            {"follower_elasticity", t.follower_elasticity},
            {"topics", t.topics},
            {"hours", t.hours},
            {"weekdays", t.weekdays},
            {"hooks", t.hooks},
            {"lengths", t.lengths},
            {"numbers", t.numbers},
            {"question", t.question},
            {"cta", t.cta},
            {"link", t.link},
            {"topic_hours", t.topic_hours},
            {"hook_topics", t.hook_topics},
            {"topic_fatigue", t.topic_fatigue},
            {"hook_fatigue", t.hook_fatigue},
            {"fatigue_hours", t.fatigue_hours},
            {"rates", rates},
            {"er_sensitivity", t.er_sensitivity},
            {"actions", actions},
            {"noise_sd", t.noise_sd},
            {"rate_noise_sd", t.rate_noise_sd},
            {"dispersion", t.dispersion},
            {"viral_probability", t.viral_probability},
            {"viral_tail", t.viral_tail},
            {"viral_min", t.viral_min},
            {"viral_max", t.viral_max},
            {"growth_hours", t.growth_hours},
            {"reply_reach", t.reply_reach}};
  if (!t.shifts.empty()) {
    json shifts = json::array();
    for (const auto& s : t.shifts) {
      json inner = truth_to_json(*s.truth);
      inner.erase("shift");
      shifts.push_back({{"at", format_iso8601(s.at)}, {"truth", inner}});
    }
    j["shift"] = shifts;
  }
  return j;
}

const Truth& active_truth(const Truth& t, TimePoint at) {
  const Truth* active = &t;
  for (const auto& s : t.shifts) {
    if (at >= s.at) active = s.truth.get();
  }
  return *active;
}

std::vector<std::string> topic_keywords(const Truth& t) {
  std::set<std::string> words;
  for (const auto& [k, v] : t.topics) words.insert(k);
  for (const auto& [k, v] : t.topic_hours) words.insert(k);
  for (const auto& [opening, topics] : t.hook_topics) {
    for (const auto& [k, v] : topics) words.insert(k);
  }
  for (const auto& features : t.actions) {
    for (const auto& [f, v] : features) {
      if (f.rfind("topic:", 0) == 0) words.insert(f.substr(6));
    }
  }
  return {words.begin(), words.end()};
}

}  // namespace gl::sandbox
