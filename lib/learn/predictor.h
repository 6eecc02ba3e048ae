// The engagement predictor: one ridge regression per target (views, likes,
// engagement rate) over named features of a post (hook, length, numbers,
// question, call to action, formula, topic, persona, local hour and weekday,
// spacing) and of the account when it was posted (its followers, its recent
// baseline of the target). Each target learns only from the posts where X
// reported what it needs, says why when it cannot learn, and is judged
// against predicting the mean on the newest posts, held out by time: it is
// used only when it beats that.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "learn/feature_map.h"
#include "learn/post_counts.h"
#include "learn/text_features.h"

namespace gl::learn {

// What is predicted. Views and likes on a log scale, ln(1 + count): reach is
// multiplicative and heavy-tailed. The engagement rate as the rules define it.
enum class Target { kLogViews, kLogLikes, kEngagementRate };
inline constexpr Target kTargets[] = {Target::kLogViews, Target::kLogLikes,
                                      Target::kEngagementRate};

std::string target_name(Target t);  // "log_views", "log_likes", "engagement_rate"

struct PostFeatures {
  std::string text;
  std::string topic;
  std::string generator;
  std::string formula;
  int hour = 0;                     // local posting hour
  int weekday = 0;                  // local, 0 = Sunday
  double spacing_hours = 24;        // since the account's previous post
  std::optional<double> followers;  // the account's followers when posted, if ever read
};

// The features of a post. `baseline` is the account's recent baseline of the
// target being predicted (recent_baseline); unknown before its first post.
// `analyzed` is analyze_text(p.text) when already known.
FeatureMap features_of(const PostFeatures& p, std::optional<double> baseline = std::nullopt,
                       const TextFeatures* analyzed = nullptr);

// A post as the predictor learns from it: its features and X's counters.
struct PredictorPost {
  PostFeatures features;
  PostCounts counts;
  std::optional<TextFeatures> analyzed;  // analyze_text(features.text) when stored
  double posted_at = 0;  // epoch seconds: which posts arrived since a penalty was chosen
};

// The target's value for a post; nullopt when X did not report what it needs.
std::optional<double> target_value(const PostCounts& c, Target t);

// The account's recent baseline of a target: the median of its last
// kBaselinePosts known values (given oldest first); nullopt when none.
inline constexpr size_t kBaselinePosts = 10;
std::optional<double> recent_baseline(const std::vector<double>& previous);

struct LinearModel {
  std::vector<std::string> names;
  std::vector<double> weights;
  double intercept = 0;
  double lambda = 1;

  double predict(const FeatureMap& x) const;
  nlohmann::json to_json() const;
  static LinearModel from_json(const nlohmann::json& j);
};

struct Sample {
  FeatureMap x;
  double y = 0;
};

// The newest kHoldoutFraction of a target's samples (at least
// kMinHoldoutSamples) are held out; at least kMinTrainingSamples older ones train.
inline constexpr double kHoldoutFraction = 0.2;
inline constexpr int kMinTrainingSamples = 10;
inline constexpr int kMinHoldoutSamples = 5;
inline constexpr int kMinSamples = kMinTrainingSamples + kMinHoldoutSamples;
// A model beats the mean when its held-out gain is above this many standard
// errors: the one-sided 5% test. A model no better than the mean passes it 16
// times in 200 on 5 held-out posts (lower error alone: 78; predictor_test).
inline constexpr double kBeatMeanZ = 1.645;

// The penalties leave-one-out cross-validation chose for a target, and on how
// many samples: what a later training reuses while penalty_current says so.
struct Penalty {
  double holdout = 1;  // of the model fitted on the older samples (the held-out check)
  double all = 1;      // of the model fitted on all samples
  int samples = 0;     // the target's samples when they were chosen
  double through = 0;  // PredictorPost::posted_at of the newest of them

  nlohmann::json to_json() const;
  static std::optional<Penalty> from_json(const nlohmann::json& j);  // none when absent
};

// A penalty is chosen again once the target's samples that arrived since it
// was chosen (`fresh`) number 10% of those it was chosen on, and at least
// kPenaltyMinGrowth, or once the count of its samples moved by as much either
// way (posts deleted). Counting arrivals rather than the total keeps the rule
// moving once the loader's window (the newest 5,000 posts) is full; a post too
// young to learn from entering that window moves the count by one. Why 10%: the grid's steps are
// x3, and the leave-one-out optimum follows the ratio of noise to signal per sample, which 10% more
// posts of the same account moves far less than a step; choosing costs an eigendecomposition and
// two more passes over every sample, most of a training at 10,000 posts.
inline constexpr double kPenaltyGrowth = 0.1;
inline constexpr int kPenaltyMinGrowth = 10;
bool penalty_current(const Penalty& chosen, int samples, int fresh);

struct TrainResult {
  LinearModel model;            // fitted on all samples
  Penalty penalty;              // the penalties used: chosen now, or reused
  bool penalty_reused = false;  // true when `penalty` came from an earlier training
  double holdout_rmse = 0;      // of the model fitted on the older samples only
  double baseline_rmse = 0;     // of predicting the older samples' mean, same held-out posts
  double holdout_spearman = 0;  // rank correlation of its predictions with the truth there
  double holdout_r2 = 0;
  // Per held-out post, the mean's squared error less the model's: their mean
  // and its standard error.
  double holdout_gain = 0;
  double holdout_gain_se = 0;
  int train_samples = 0;
  int holdout_samples = 0;

  // Lower error on the held-out posts by more than chance gives a model no
  // better than the mean (kBeatMeanZ standard errors of the paired gain), and
  // by more than rounding: a constant target is predicted exactly by both.
  bool beats_mean() const {
    return holdout_rmse + 1e-9 < baseline_rmse && holdout_gain > kBeatMeanZ * holdout_gain_se;
  }
};

// samples ordered oldest first. Nothing below kMinSamples. With `reuse`, its
// penalties instead of choosing them (the caller checks penalty_current).
std::optional<TrainResult> train_ridge(const std::vector<Sample>& samples,
                                       const std::optional<Penalty>& reuse = std::nullopt);

// Fits ridge with a fixed penalty (the intercept is not penalised).
LinearModel fit_ridge(const std::vector<Sample>& samples, double lambda);

// The penalty of a fixed grid with the smallest leave-one-out error, in
// closed form: one eigendecomposition, no refits.
double choose_lambda(const std::vector<Sample>& samples);

// One target's model and the honest account of it.
struct TargetModel {
  Target target = Target::kLogViews;
  int known = 0;                        // posts with the target known
  std::optional<TrainResult> fit;       // when trained
  std::string reason;                   // why it did not train
  std::optional<double> baseline_now;   // the recent baseline after the newest post
  std::map<std::string, double> fills;  // fill_unknown's values, from the training samples

  bool usable() const { return fit && fit->beats_mean(); }
};

// A numeric feature that is unknown (followers never read, no baseline yet)
// takes the training samples' mean of it, next to its indicator.
void fill_unknown(FeatureMap& x, const std::map<std::string, double>& fills);

// Trains every target on the posts (oldest first) where it is known. A
// target in `chosen` (the penalties of the previous training) reuses them
// while penalty_current says so; the others choose theirs.
std::vector<TargetModel> train_predictor(const std::vector<PredictorPost>& posts,
                                         const std::map<Target, Penalty>& chosen = {});

// A trained target as stored and read back.
struct StoredTarget {
  LinearModel model;
  std::optional<double> baseline_now;
  std::map<std::string, double> fills;
  std::optional<Penalty> penalty;  // how its penalties were chosen (none in older versions)

  nlohmann::json to_json() const;
  static StoredTarget from_json(const nlohmann::json& j);
};

// In natural units; a target is present only when its model beats the mean.
struct Prediction {
  std::optional<double> views, likes, engagement_rate;
};

Prediction predict(const std::map<Target, StoredTarget>& usable, const PostFeatures& p);

}  // namespace gl::learn
