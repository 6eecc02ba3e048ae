#include "learn/off_policy.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "core/error.h"

namespace gl::learn {

const char* estimator_name(Estimator e) {
  switch (e) {
    case Estimator::kIps:
      return "ips";
    case Estimator::kSnips:
      return "snips";
    case Estimator::kDr:
      return "dr";
  }
  return "ips";
}

std::vector<double> importance_weights(const std::vector<LoggedDecision>& d,
                                       const OffPolicyOptions& o) {
  std::vector<double> w;
  w.reserve(d.size());
  for (const auto& x : d) {
    double v = x.logged_p >= o.min_logged_p && x.logged_p > 0 ? x.target_p / x.logged_p : 0;
    if (o.clip > 0) v = std::min(v, o.clip);
    w.push_back(v);
  }
  return w;
}

double effective_sample_size(const std::vector<double>& w) {
  double s = 0, ss = 0;
  for (double v : w) {
    s += v;
    ss += v * v;
  }
  return ss > 0 ? s * s / ss : 0;
}

double ips(const std::vector<LoggedDecision>& d, const std::vector<double>& w) {
  if (d.empty()) return 0;
  double s = 0;
  for (size_t i = 0; i < d.size(); ++i) s += w[i] * d[i].reward;
  return s / static_cast<double>(d.size());
}

double snips(const std::vector<LoggedDecision>& d, const std::vector<double>& w) {
  double s = 0, sw = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    s += w[i] * d[i].reward;
    sw += w[i];
  }
  return sw > 0 ? s / sw : 0;
}

double doubly_robust(const std::vector<LoggedDecision>& d, const std::vector<double>& w) {
  if (d.empty()) return 0;
  double s = 0;
  for (size_t i = 0; i < d.size(); ++i)
    s += d[i].model_target + w[i] * (d[i].reward - d[i].model_logged);
  return s / static_cast<double>(d.size());
}

double estimate(Estimator e, const std::vector<LoggedDecision>& d, const std::vector<double>& w) {
  switch (e) {
    case Estimator::kIps:
      return ips(d, w);
    case Estimator::kSnips:
      return snips(d, w);
    case Estimator::kDr:
      return doubly_robust(d, w);
  }
  return 0;
}

Support support(const std::vector<LoggedDecision>& d, const OffPolicyOptions& o) {
  Support s;
  s.posts = static_cast<int>(d.size());
  for (const auto& x : d) {
    if (x.target_p > 0 && x.logged_p >= o.min_logged_p && x.logged_p > 0) ++s.supported;
  }
  s.share = d.empty() ? 0 : s.supported / static_cast<double>(d.size());
  const std::vector<double> w = importance_weights(d, o);
  s.ess = effective_sample_size(w);
  double sum = 0;
  for (double v : w) sum += v;
  s.mean_weight = d.empty() ? 0 : sum / static_cast<double>(d.size());
  if (s.supported < o.min_supported_posts) {
    s.warning = fmt::format(FMT_STRING("no support: {} of {} logged posts made a plan this "
                                       "policy could make (at least {} needed)"),
                            s.supported, s.posts, o.min_supported_posts);
  } else if (s.ess < o.min_ess) {
    s.warning = fmt::format(
        FMT_STRING("no support: the weights leave an effective sample of {:.1f} posts"), s.ess);
  } else if (s.mean_weight < o.min_mean_weight) {
    s.warning = fmt::format(
        FMT_STRING("no support: the log rarely made this policy's choices (mean weight {:.3f})"),
        s.mean_weight);
  }
  return s;
}

namespace {

// The percentile interval of `stat` over bootstrap resamples of n indices.
template <typename Stat>
std::pair<double, double> percentile_interval(size_t n, const OffPolicyOptions& o, Stat stat) {
  if (o.bootstrap < 2) throw failure("bootstrap", "needs at least 2 resamples");
  std::mt19937_64 rng(o.seed);
  std::uniform_int_distribution<size_t> pick(0, n - 1);
  std::vector<size_t> idx(n);
  std::vector<double> values;
  values.reserve(static_cast<size_t>(o.bootstrap));
  for (int b = 0; b < o.bootstrap; ++b) {
    for (auto& i : idx) i = pick(rng);
    values.push_back(stat(idx));
  }
  std::sort(values.begin(), values.end());
  const auto at = [&](double q) {
    const double pos = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<size_t>(std::floor(pos));
    const size_t hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
  };
  const double tail = (1 - o.level) / 2;
  return {at(tail), at(1 - tail)};
}

}  // namespace

std::vector<Estimate> evaluate_off_policy(const std::vector<LoggedDecision>& d,
                                          const OffPolicyOptions& o) {
  const Support s = support(d, o);
  const std::vector<double> w = importance_weights(d, o);
  std::vector<Estimate> out;
  for (Estimator e : kEstimators) {
    Estimate est;
    est.estimator = e;
    est.support = s;
    if (!s.warning) {
      est.value = estimate(e, d, w);
      const auto [lo, hi] = percentile_interval(d.size(), o, [&](const std::vector<size_t>& idx) {
        std::vector<LoggedDecision> rd;
        std::vector<double> rw;
        rd.reserve(idx.size());
        rw.reserve(idx.size());
        for (size_t i : idx) {
          rd.push_back(d[i]);
          rw.push_back(w[i]);
        }
        return estimate(e, rd, rw);
      });
      est.ci_low = lo;
      est.ci_high = hi;
    }
    out.push_back(est);
  }
  return out;
}

MeanInterval bootstrap_mean(const std::vector<double>& values, const OffPolicyOptions& o) {
  MeanInterval m;
  if (values.empty()) return m;
  const auto mean = [&](const std::vector<size_t>& idx) {
    double s = 0;
    for (size_t i : idx) s += values[i];
    return s / static_cast<double>(idx.size());
  };
  std::vector<size_t> all(values.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  m.value = mean(all);
  if (values.size() < 2) return m;  // resampling one value gives it back, not an interval
  const auto [lo, hi] = percentile_interval(values.size(), o, mean);
  m.ci_low = lo;
  m.ci_high = hi;
  return m;
}

ExplorationChoice choose_exploration(double current, const std::vector<ScaleEstimate>& candidates) {
  const auto same = [](double a, double b) { return std::fabs(a - b) < 1e-9; };
  const ScaleEstimate* now = nullptr;
  const ScaleEstimate* best = nullptr;
  for (const auto& c : candidates) {
    if (same(c.exploration, current)) now = &c;
    if (!best || c.value > best->value) best = &c;
  }
  if (!now) {
    return {current, false,
            fmt::format("the current spread {} has no estimate to compare with", current)};
  }
  if (best == now || same(best->exploration, current)) {
    return {current, false, fmt::format("the current spread {} estimates best", current)};
  }
  if (best->ci_low > now->ci_high) {
    return {best->exploration, true,
            fmt::format("spread {} estimates {:.3f} [{:.3f}, {:.3f}], clear of the current {}'s "
                        "{:.3f} [{:.3f}, {:.3f}]",
                        best->exploration, best->value, best->ci_low, best->ci_high, current,
                        now->value, now->ci_low, now->ci_high)};
  }
  return {current, false,
          fmt::format("spread {} estimates {:.3f} [{:.3f}, {:.3f}], not clear of the current {}'s "
                      "{:.3f} [{:.3f}, {:.3f}]",
                      best->exploration, best->value, best->ci_low, best->ci_high, current,
                      now->value, now->ci_low, now->ci_high)};
}

}  // namespace gl::learn
