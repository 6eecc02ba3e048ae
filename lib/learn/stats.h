// Small statistics with honest uncertainty: Normal posteriors with
// shrinkage toward the account mean, the probability an item beats it, the
// evidence rule of the learning summary, and rank correlation.
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

// What the learning summary may say about one item (a topic, hour, hook,
// persona or formula). An item is ranked only with at least kMinEvidencePosts
// gated posts AND a 95% interval of its effect that excludes 0; anything less
// is listed as insufficient evidence, with the same numbers, never ranked.
inline constexpr long long kMinEvidencePosts = 5;
inline constexpr double kEvidenceLevel = 0.95;
inline constexpr double kEvidenceZ = 1.959964;  // two-sided, for kEvidenceLevel

struct Evidence {
  double effect = 0;         // posterior mean minus the account's mean reward
  double low = 0, high = 0;  // kEvidenceLevel interval of the effect
  double confidence = 0.5;   // P(the item beats the account's mean)
  bool sufficient = false;   // the rule above
};

Evidence evidence_of(const NormalPosterior& item, long long posts, double account_mean);

// Spearman's rank correlation (ties get their average rank). 0 when fewer
// than 2 pairs or either side is constant: no ranking, no correlation.
double spearman(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace gl::learn
