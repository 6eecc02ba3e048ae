#include "sandbox/audience.h"

#include <algorithm>
#include <cmath>

#include "core/hash.h"
#include "core/timezone.h"

namespace gl::sandbox {

namespace {

unsigned long long mix(unsigned long long x) {
  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A stream of random draws fixed by (seed, tweet id, stream): the samplers are
// written here so a seed gives the same post on every machine and library.
class Draws {
 public:
  Draws(unsigned long long seed, const std::string& id, unsigned long long stream)
      : state_(mix(seed ^ mix(fnv1a64(id) + stream * 0x632be59bd9b4e019ULL))) {}

  double uniform() {  // in (0, 1)
    state_ = mix(state_);
    return (static_cast<double>(state_ >> 11) + 0.5) / 9007199254740992.0;
  }
  double normal() {
    const double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Gamma(shape, 1): Marsaglia and Tsang.
  double gamma(double shape) {
    if (shape < 1) return gamma(shape + 1) * std::pow(uniform(), 1.0 / shape);
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9 * d);
    for (;;) {
      double x, v;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const double u = uniform();
      if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
    }
  }
  // Poisson: multiplication below 10, else transformed rejection (Hörmann's PTRS).
  long long poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (!(lambda < 1e12)) lambda = 1e12;  // an absurd truth must not overflow a count
    if (lambda < 10) {
      const double limit = std::exp(-lambda);
      long long k = 0;
      for (double p = uniform(); p > limit; p *= uniform()) ++k;
      return k;
    }
    const double slam = std::sqrt(lambda), loglam = std::log(lambda);
    const double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const double u = uniform() - 0.5, v = uniform(), us = 0.5 - std::abs(u);
      const double k = std::floor((2 * a / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return static_cast<long long>(k);
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
          -lambda + k * loglam - std::lgamma(k + 1)) {
        return static_cast<long long>(k);
      }
    }
  }

 private:
  unsigned long long state_;
};

// Streams of a post's randomness.
enum Stream : unsigned long long { kReach = 1, kTail, kImpressions, kEngagement, kActions = 16 };

double lookup(const std::map<std::string, double>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

// E[min(X, cap)] for X ~ Pareto(from, tail).
double capped_pareto_mean(double from, double tail, double cap) {
  if (cap <= from) return from;
  if (std::abs(tail - 1) < 1e-9) return from + from * std::log(cap / from);
  return from +
         std::pow(from, tail) * (std::pow(cap, 1 - tail) - std::pow(from, 1 - tail)) / (1 - tail);
}

}  // namespace

Outlook outlook(const Truth& t, const std::string& text, TimePoint posted_at,
                const AuthorState& author) {
  Outlook o;
  const Reading& r = o.reading = read_post(text, topic_keywords(t));
  const LocalTime local = to_local(posted_at, t.timezone);
  const size_t hour = static_cast<size_t>(local.hour);

  // What the post is, where it lands in the day, and whether it is more of the same.
  double content = lookup(t.topics, r.topic) + lookup(t.hooks, r.opening) +
                   lookup(t.lengths, r.size) + (r.numbers ? t.numbers : 0) +
                   (r.question ? t.question : 0) + (r.cta ? t.cta : 0) + (r.link ? t.link : 0);
  if (auto it = t.topic_hours.find(r.topic); it != t.topic_hours.end()) content += it->second[hour];
  if (auto it = t.hook_topics.find(r.opening); it != t.hook_topics.end())
    content += lookup(it->second, r.topic);
  for (const auto& p : author.recent) {
    const double age = hours_between(p.at, posted_at);
    if (age <= 0 || age >= t.fatigue_hours) continue;
    const double weight = 1 - age / t.fatigue_hours;
    if (!r.topic.empty() && p.topic == r.topic) content -= t.topic_fatigue * weight;
    if (p.opening == r.opening) content -= t.hook_fatigue * weight;
  }
  o.content = content;

  const double followers =
      author.followers > 0 ? author.followers : static_cast<double>(t.initial_followers);
  const double time = t.hours[hour] + t.weekdays[static_cast<size_t>((local.weekday + 6) % 7)];
  o.log_reach =
      std::log(t.base_impressions) +
      t.follower_elasticity * std::log(followers / static_cast<double>(t.initial_followers)) +
      content + time + (author.reply ? std::log(t.reply_reach) : 0);

  const auto present = [&](const std::string& feature) {
    if (feature == "numbers") return r.numbers;
    if (feature == "question") return r.question;
    if (feature == "cta") return r.cta;
    if (feature == "link") return r.link;
    return feature == "topic:" + r.topic || feature == "hook:" + r.opening ||
           feature == "length:" + r.size;
  };
  for (size_t a = 0; a < kActionCount; ++a) {
    double effect = t.er_sensitivity * content;
    for (const auto& [feature, e] : t.actions[a]) {
      if (present(feature)) effect += e;
    }
    o.rate[a] = std::min(0.5, t.rates[a] * std::exp(effect));
  }
  // Posts people share are the ones that travel.
  o.viral_chance = std::min(0.5, t.viral_probability * o.rate[kRetweets] / t.rates[kRetweets]);
  return o;
}

FinalMetrics expected_final(const Truth& truth, const std::string& text, TimePoint posted_at,
                            const AuthorState& author) {
  const Truth& t = active_truth(truth, posted_at);
  const Outlook o = outlook(t, text, posted_at, author);
  const double tail = capped_pareto_mean(t.viral_min, t.viral_tail, t.viral_max);
  FinalMetrics m;
  m.impressions =
      std::exp(o.log_reach + 0.5 * t.noise_sd * t.noise_sd) * (1 + o.viral_chance * (tail - 1));
  for (size_t a = 0; a < kActionCount; ++a) {
    m.actions[a] = m.impressions * o.rate[a] * std::exp(0.5 * t.rate_noise_sd * t.rate_noise_sd);
  }
  return m;
}

FinalMetrics draw_final(const Truth& truth, const std::string& text, TimePoint posted_at,
                        const AuthorState& author, unsigned long long seed,
                        const std::string& tweet_id) {
  const Truth& t = active_truth(truth, posted_at);
  const Outlook o = outlook(t, text, posted_at, author);
  double reach = std::exp(o.log_reach + t.noise_sd * Draws(seed, tweet_id, kReach).normal());
  Draws tail(seed, tweet_id, kTail);
  if (tail.uniform() < o.viral_chance) {
    reach *= std::min(t.viral_max, t.viral_min * std::pow(tail.uniform(), -1.0 / t.viral_tail));
  }
  FinalMetrics m;
  m.impressions = static_cast<double>(Draws(seed, tweet_id, kImpressions).poisson(reach));
  // One engagement noise for the whole post, then each action's own count.
  const double quality = std::exp(t.rate_noise_sd * Draws(seed, tweet_id, kEngagement).normal());
  for (size_t a = 0; a < kActionCount; ++a) {
    Draws d(seed, tweet_id, kActions + a);
    const double mean = m.impressions * o.rate[a] * quality;
    const double count =
        static_cast<double>(d.poisson(mean * d.gamma(t.dispersion) / t.dispersion));
    m.actions[a] = std::min(count, m.impressions);
  }
  // Engagement never exceeds the impressions it came from.
  const double engaged = m.actions[kLikes] + m.actions[kRetweets] + m.actions[kReplies] +
                         m.actions[kQuotes] + m.actions[kBookmarks];
  if (engaged > m.impressions) {
    for (Action a : {kLikes, kRetweets, kReplies, kQuotes, kBookmarks}) {
      m.actions[a] = std::floor(m.actions[a] * m.impressions / engaged);
    }
  }
  return m;
}

double growth_fraction(const Truth& t, double age_hours) {
  if (age_hours <= 0) return 0;
  return 1.0 - std::exp(-age_hours / t.growth_hours);
}

Counts counts_at(const FinalMetrics& f, double fraction) {
  const auto c = [fraction](double v) { return static_cast<long long>(std::floor(v * fraction)); };
  Counts out;
  out.impressions = c(f.impressions);
  for (size_t a = 0; a < kActionCount; ++a) out.actions[a] = c(f.actions[a]);
  return out;
}

}  // namespace gl::sandbox
