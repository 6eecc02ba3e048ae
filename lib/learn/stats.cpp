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

}  // namespace gl::learn
