// Small statistics with honest uncertainty: Normal posteriors with
// shrinkage toward the account mean, and the probability an item beats it.
#pragma once

#include <vector>

namespace gl::learn {

double mean(const std::vector<double>& xs);
double median(std::vector<double> xs);
double variance(const std::vector<double>& xs);  // sample variance (n - 1); 0 below 2 values

// Standard normal CDF.
double normal_cdf(double x);

// A Normal posterior for an item's mean, shrunk toward the account's mean:
// prior N(prior_mean, noise_var / prior_weight), likelihood with known noise_var.
struct NormalPosterior {
  double mean = 0;
  double sd = 0;
  double weight = 0;  // data weight n (or decayed n)
};

NormalPosterior normal_posterior(double sum, double weight, double prior_mean, double noise_var,
                                 double prior_weight);

// P(item mean > baseline) under its posterior: how sure we are that it beats
// the account's average. 0.5 means "no idea"; a pattern seen twice stays near it.
double prob_above(const NormalPosterior& p, double baseline);

// Pseudo-observations of the account mean every item starts with.
inline constexpr double kPriorWeight = 5.0;

}  // namespace gl::learn
