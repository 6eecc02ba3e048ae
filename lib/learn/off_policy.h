// Off-policy evaluation: what another policy would have earned, estimated from
// the posts a logging policy made, each with the probability it had of making
// its whole plan. Inverse propensity scoring (IPS) reweights each logged reward
// by w = target p / logged p; self-normalised IPS divides by the sum of the
// weights instead of n (biased, far less variable); doubly robust (DR) starts
// from a direct model of the reward and reweights only its error, so it is
// right when either the model or the propensities are. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gl::learn {

// One logged post, seen by one target policy.
struct LoggedDecision {
  double reward = 0;
  double logged_p = 0;      // the logging policy's probability of the logged plan
  double target_p = 0;      // the target policy's probability of that same plan
  double model_logged = 0;  // the direct model's reward of the logged plan
  double model_target = 0;  // the direct model's reward averaged over the target's plans
};

enum class Estimator { kIps, kSnips, kDr };
const char* estimator_name(Estimator e);
inline constexpr Estimator kEstimators[] = {Estimator::kIps, Estimator::kSnips, Estimator::kDr};

struct OffPolicyOptions {
  // Weights above this are cut to it (0: no clipping). Clipping trades bias
  // for variance; with a 1% uniform floor in the log, weights stay under 100.
  double clip = 0;
  // A logged plan less likely than this gives no support: its weight would be
  // a guess divided by almost nothing.
  double min_logged_p = 1e-6;
  // Fewer supported posts or a smaller effective sample than this, or a mean
  // weight under min_mean_weight (the log rarely made the policy's choices),
  // and the policy gets a warning instead of a number.
  int min_supported_posts = 5;
  double min_ess = 3;
  double min_mean_weight = 0.2;
  int bootstrap = 1000;  // resamples for the percentile interval
  double level = 0.95;   // of the interval
  std::uint64_t seed = 1;
};

// The importance weight of each decision: target / logged, clipped; 0 where
// the logged plan is below the support floor.
std::vector<double> importance_weights(const std::vector<LoggedDecision>& d,
                                       const OffPolicyOptions& o);

// (sum w)^2 / sum w^2: how many equally weighted posts the estimate is worth.
double effective_sample_size(const std::vector<double>& w);

// The point estimates over all decisions, with weights already computed.
double ips(const std::vector<LoggedDecision>& d, const std::vector<double>& w);
double snips(const std::vector<LoggedDecision>& d, const std::vector<double>& w);
double doubly_robust(const std::vector<LoggedDecision>& d, const std::vector<double>& w);
double estimate(Estimator e, const std::vector<LoggedDecision>& d, const std::vector<double>& w);

// Whether the log supports the policy: the share of posts whose logged plan
// the target could make (target p > 0) and the log made with p >= the floor.
struct Support {
  int posts = 0;
  int supported = 0;
  double share = 0;
  double ess = 0;
  double mean_weight = 0;
  std::optional<std::string> warning;  // set when no number should be given
};
Support support(const std::vector<LoggedDecision>& d, const OffPolicyOptions& o);

struct Estimate {
  Estimator estimator = Estimator::kIps;
  std::optional<double> value, ci_low, ci_high;  // empty when support.warning
  Support support;
};

// Every estimator with its seeded bootstrap percentile interval, or the
// support warning instead of numbers.
std::vector<Estimate> evaluate_off_policy(const std::vector<LoggedDecision>& d,
                                          const OffPolicyOptions& o);

// Mean of values with a seeded bootstrap percentile interval (the logged
// policy's own realised value).
struct MeanInterval {
  double value = 0;
  std::optional<double> ci_low, ci_high;  // none from fewer than 2 values
};
MeanInterval bootstrap_mean(const std::vector<double>& values, const OffPolicyOptions& o);

// plan-post --exploration auto: Thompson's spread chosen from evaluated
// candidate spreads. A candidate replaces the current setting only when its
// whole interval lies above the current setting's (its ci_low clears the
// current's ci_high); otherwise the evidence does not say the change pays.
struct ScaleEstimate {
  double exploration = 0;
  double value = 0, ci_low = 0, ci_high = 0;
};
struct ExplorationChoice {
  double exploration = 0;  // what to use
  bool changed = false;    // differs from the current setting
  std::string reason;
};
ExplorationChoice choose_exploration(double current, const std::vector<ScaleEstimate>& candidates);

}  // namespace gl::learn
