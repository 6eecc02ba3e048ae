// The planner's posterior: a Bayesian linear model of the reward over the
// choices a plan makes (topic, hook, persona, posting hour), fitted on
// decayed, gated posts. Estimating the choices jointly separates their effects
// (a good hour is not credited to the topic posted at it). Thompson sampling
// draws the coefficients from the posterior; an unseen choice draws from the
// prior.
//
// The hour is one effect per local hour ("hour=14") with a cyclic Gaussian-
// process prior over the 24 hours: prior covariance
//   cov(hour=a, hour=b) = main-effect prior variance * exp(-d(a, b) / kHourCorrelationHours)
// where d is the distance around the clock. Neighbouring hours share evidence,
// and an hour far from every hour with posts keeps the prior's full width:
// it is explored as an unknown, never exploited as a certainty (issue 18: a
// curve of two harmonics fitted to five hours was most certain exactly where
// it had no data).
#pragma once

#include <Eigen/Dense>
#include <array>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "learn/feature_map.h"
#include "learn/text_features.h"

namespace gl::learn {

// Features of a choice: "topic=sleep", "hook=question", "generator=coach", "hour=14",
// and the topic in the hour's part of the day, "topic=sleep|evening".
FeatureMap choice_features(const std::string& topic, const std::string& hook,
                           const std::string& generator, int local_hour);
std::string generator_feature(const std::string& generator);  // "generator=coach"
FeatureMap hour_features(int local_hour);

// The part of the day of a local hour, in four blocks of six hours: "night"
// (0-5), "morning" (6-11), "afternoon" (12-17), "evening" (18-23).
const char* daypart_name(int local_hour);

// An interaction (a name with "|") is a deviation from the additive model, so
// a priori smaller than a main effect: its prior variance is this share of a
// main effect's (a hierarchical prior). Where there are no posts it is 0 in
// the posterior mean and widens the draws a little; it moves only when a
// topic's posts in one part of the day depart from topic + hour.
inline constexpr double kInteractionPriorShare = 0.5;
double prior_share(const std::string& feature_name);
// What the words add beyond the hook: "length=medium", "numbers", "question", "cta".
FeatureMap wording_features(const std::string& text);
FeatureMap wording_features(const TextFeatures& text);  // of an analysis already made
bool is_wording_feature(const std::string& name);
// The family a feature's prior belongs to: "topic", "hour", "hook", "generator",
// "interaction" (any name with "|"), "wording", "maturity", "repetition".
std::string feature_family(const std::string& name);

// Repetition as a learned effect: how many of the account's own posts went
// out on the same topic / with the same hook in the day before `at`
// ("repeat_topic<24h", "repeat_hook<24h") and in the two days before that
// ("repeat_topic24-72h", "repeat_hook24-72h"). An audience that tires of a
// topic gives these negative coefficients; one that does not leaves them at 0.
// `topic_times` and `hook_times` are the times of the posts on the same topic
// and with the same hook; those at or after `at` are not counted.
inline constexpr double kRepetitionWindowHours = 72;
FeatureMap repetition_features(TimePoint at, const std::vector<TimePoint>& topic_times,
                               const std::vector<TimePoint>& hook_times);
// repetition_features of times sorted ascending, counted by binary search: a
// history of thousands of posts need not be read, nor copied, for each post.
FeatureMap sorted_repetition_features(TimePoint at, const std::vector<TimePoint>& topic_times,
                                      const std::vector<TimePoint>& hook_times);

// How far a post's metrics had grown when read: "age<6h", "age6-24h",
// "age24-72h" (older is the baseline). Metrics keep growing for days, so a
// young post's reward is low whatever was chosen; these covariates take that
// out of the choices' coefficients. Plans compare choices at full maturity.
FeatureMap maturity_features(double age_hours);

struct WeightedSample {
  FeatureMap x;
  double y = 0;
  double weight = 1;  // decay
};

// Audiences' activity changes over a few hours: an hour shares e^-1/3 = 72% of
// its neighbour's effect, 37% of one 3 h away, 14% of one 6 h away.
inline constexpr double kHourCorrelationHours = 3.0;

// What the posterior says about one feature: the posts that had it, its
// effect on the reward (against the average post) and the effect's sd.
struct FeatureEvidence {
  int posts = 0;
  double effect = 0;
  double sd = 0;
};

// The prior precision ratio lambda (noise variance / a main effect's prior
// variance) before there is evidence to estimate it, and the range the
// empirical-Bayes estimate is searched in: prior sd from 2x to 1/8 of the
// noise sd, in factors of sqrt(2).
inline constexpr double kDefaultLambda = 3.0;
inline constexpr double kMinLambda = 0.25, kMaxLambda = 64;
// Fewer (decay-weighted) posts than this cannot tell prior variances apart.
inline constexpr double kMinPostsForEvidence = 12;

class RewardModel {
 public:
  // Ridge prior N(0, noise_var / lambda) on every coefficient (interactions a
  // share of it, hours correlated); the intercept is the weighted mean.
  // Without `lambda`, lambda is estimated from the data per family of
  // features (empirical Bayes: the values on the grid kMinLambda..kMaxLambda
  // that maximise the marginal likelihood of the rewards), so the prior's
  // width, and with it how much an untried choice is explored, follows how
  // much each kind of choice has been seen to matter on this account. The noise variance is the
  // weighted residual variance on the residual degrees of freedom (posts minus the fit's effective
  // parameters), so a model with many features and few posts does not think itself certain.
  //
  // `prior_means` centres the prior on other values than 0 (learn/pooled_prior.h:
  // what the database's other accounts learned): N(m, noise_var / lambda), the
  // covariance unchanged. The fit is the same fit of y - X m (the intercept then
  // is the weighted mean of y - X m), with m added back to the coefficients; an
  // unseen name draws from N(m, its prior variance). As the account's own posts
  // arrive they outweigh m, as they outweigh the zero of a prior without it.
  static RewardModel fit(const std::vector<WeightedSample>& samples,
                         std::optional<double> lambda = std::nullopt,
                         const std::map<std::string, double>& prior_means = {});

  double intercept() const { return intercept_; }
  double noise_var() const { return noise_var_; }
  // The prior precision ratio of a feature's family (a feature name or a
  // family name): estimated per family, or the fixed or default lambda.
  double lambda(const std::string& name) const;
  size_t samples() const { return n_; }
  double mean_coefficient(const std::string& name) const;
  // The posterior mean's score of x: the intercept and each mean coefficient times its value.
  double mean_score(const FeatureMap& x) const;
  // The prior's mean of a name: 0 unless fitted with prior_means; and its sd.
  double prior_mean(const std::string& name) const;
  double prior_sd(const std::string& name) const;
  // The names in the model: every hour, and every feature of the samples.
  const std::vector<std::string>& names() const { return names_; }
  FeatureEvidence evidence(const std::string& name) const;
  // The wording that came with a choice: for a feature such as "hook=question",
  // the weighted mean of each wording feature over the posts that had it. A
  // plan chooses the hook, not the words, so it is scored with the words its
  // hook brings (a question hook's "question" coefficient belongs to it).
  FeatureMap companions(const std::string& name) const;

  // One posterior draw of all coefficients, its spread scaled by `scale` (1 =
  // the posterior itself); unseen names draw from the prior (cached per draw).
  class Draw {
   public:
    double coefficient(const std::string& name);
    double score(const FeatureMap& x);

   private:
    friend class RewardModel;
    std::map<std::string, double> values_;
    const RewardModel* model_ = nullptr;
    std::mt19937_64* rng_ = nullptr;
    double scale_ = 1;
  };
  Draw draw(std::mt19937_64& rng, double scale = 1) const;

  // Draws of the coefficients of a fixed list of distinct names, looked up in
  // the model once (Thompson sampling draws hundreds of times over the same
  // names): each as draw() and then coefficient() of each name in turn.
  class NamedDraws {
   public:
    NamedDraws(const RewardModel& model, const std::vector<std::string>& names);
    // One draw: out[j] is the coefficient of names[j].
    void draw(std::mt19937_64& rng, double scale, std::vector<double>& out) const;

   private:
    const RewardModel& model_;
    std::vector<int> index_;  // per name: the model's index, or -1 (drawn from the prior)
    std::vector<double> prior_mean_, prior_sd_;  // per name not in the model: its prior
  };

 private:
  // The coefficients of one posterior draw, by index.
  Eigen::VectorXd draw_all(std::mt19937_64& rng, double scale) const;

  std::vector<std::string> names_;
  std::map<std::string, int> index_;
  Eigen::VectorXd mean_;
  std::vector<int> posts_;  // per name: the samples that had it
  std::map<std::string, FeatureMap> companions_;
  std::map<std::string, double> lambdas_;  // per family
  std::map<std::string, double> prior_means_;
  Eigen::MatrixXd chol_;  // lower Cholesky factor of the posterior covariance
  double intercept_ = 0;
  double noise_var_ = 1;
  double lambda_ = kDefaultLambda;
  size_t n_ = 0;
};

// How fast the reward model forgets. A post's weight halves every half-life
// days; which half-life is right depends on the audience (one whose taste
// turns needs a short memory; a steady one loses most of its evidence to a
// short one: at 2 posts a day, 14 days keep about 40 posts' weight of any
// history, too little for the empirical-Bayes prior to let hooks and hours
// differ). So the half-life is the one that best predicted what came next:
// for each of the last kHalfLifeFolds spans of kHalfLifeHoldoutDays, fitted on
// the posts older than the span (aged from its start), the squared error on
// the span's posts about their mean error (the level the span's posts share
// is not a choice), summed over the spans; the smallest wins. Several spans,
// because the newest posts are mostly the learner's favourite choices and say
// little about the others. Candidates in factors of 2 around 14 days.
inline constexpr std::array<double, 5> kHalfLifeDays = {7, 14, 28, 56, 112};
inline constexpr double kDefaultHalfLifeDays = 14;
inline constexpr double kHalfLifeHoldoutDays = 14;
inline constexpr int kHalfLifeFolds = 4;

struct AgedSample {
  FeatureMap x;
  double y = 0;
  double age_days = 0;  // at the time of the fit
};

// The decay-weighted samples of a half-life.
std::vector<WeightedSample> decayed(const std::vector<AgedSample>& samples, double half_life_days);

// The half-life (kHalfLifeDays) that best predicted each span from the posts
// before it; kDefaultHalfLifeDays when no span has kMinPostsForEvidence posts
// and as many older ones.
double choose_half_life(const std::vector<AgedSample>& samples,
                        const std::map<std::string, double>& prior_means = {});

// Whether a half-life chosen on `chosen_on` samples `days_since` days ago
// still holds for `samples` of which `fresh` arrived since: the predictor's
// penalty rule (learn::penalty_current: fewer than 10% and kPenaltyMinGrowth
// new posts, the count moved by less either way), and at most a week old, so
// an account whose window of posts is full, or that stopped posting, still has
// its memory judged on the newest spans. Never one chosen after `now`.
inline constexpr double kHalfLifeReuseDays = 7;
bool half_life_current(int chosen_on, int samples, int fresh, double days_since);

}  // namespace gl::learn
