#include "learn/stats.h"

#include <algorithm>
#include <cmath>

namespace gl::learn {

double mean(const std::vector<double>& xs) {
  if (xs.empty()) return 0;
  double s = 0;
  for (double x : xs) s += x;
  return s / static_cast<double>(xs.size());
}

double median(std::vector<double> xs) {
  if (xs.empty()) return 0;
  std::sort(xs.begin(), xs.end());
  const size_t n = xs.size();
  return n % 2 ? xs[n / 2] : 0.5 * (xs[n / 2 - 1] + xs[n / 2]);
}

double variance(const std::vector<double>& xs) {
  if (xs.size() < 2) return 0;
  const double m = mean(xs);
  double s = 0;
  for (double x : xs) s += (x - m) * (x - m);
  return s / static_cast<double>(xs.size() - 1);
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

NormalPosterior normal_posterior(double sum, double weight, double prior_mean, double noise_var,
                                 double prior_weight) {
  NormalPosterior p;
  p.weight = weight;
  const double total = prior_weight + weight;
  p.mean = (prior_weight * prior_mean + sum) / total;
  p.sd = std::sqrt(std::max(noise_var, 1e-12) / total);
  return p;
}

double prob_above(const NormalPosterior& p, double baseline) {
  if (p.sd <= 0) return p.mean > baseline ? 1.0 : 0.0;
  return normal_cdf((p.mean - baseline) / p.sd);
}

Evidence evidence_of(const NormalPosterior& item, long long posts, double account_mean) {
  Evidence e;
  e.effect = item.mean - account_mean;
  e.low = e.effect - kEvidenceZ * item.sd;
  e.high = e.effect + kEvidenceZ * item.sd;
  e.confidence = prob_above(item, account_mean);
  e.sufficient = posts >= kMinEvidencePosts && (e.low > 0 || e.high < 0);
  return e;
}

namespace {

// 1-based ranks, ties sharing their average rank.
std::vector<double> ranks(const std::vector<double>& xs) {
  std::vector<size_t> order(xs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return xs[a] < xs[b]; });
  std::vector<double> r(xs.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && xs[order[j + 1]] == xs[order[i]]) ++j;
    const double average = 0.5 * static_cast<double>(i + j) + 1;
    for (size_t k = i; k <= j; ++k) r[order[k]] = average;
    i = j + 1;
  }
  return r;
}

}  // namespace

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = std::min(a.size(), b.size());
  if (n < 2) return 0;
  const std::vector<double> ra = ranks({a.begin(), a.begin() + static_cast<long>(n)});
  const std::vector<double> rb = ranks({b.begin(), b.begin() + static_cast<long>(n)});
  const double ma = mean(ra), mb = mean(rb);
  double cov = 0, va = 0, vb = 0;
  for (size_t i = 0; i < n; ++i) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) * (ra[i] - ma);
    vb += (rb[i] - mb) * (rb[i] - mb);
  }
  return va > 0 && vb > 0 ? cov / std::sqrt(va * vb) : 0;
}

}  // namespace gl::learn
