// The engagement predictor: a ridge regression over named, mostly one-hot
// features of a post (hook, length, numbers, question, call to action,
// formula, topic, generator, posting hour and weekday, spacing), with the
// penalty chosen by cross-validation and the error measured on held-out,
// newest posts.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "learn/feature_map.h"

namespace gl::learn {

struct PostFeatures {
  std::string text;
  std::string topic;
  std::string generator;
  std::string formula;
  int hour = 0;               // local posting hour
  int weekday = 0;            // local, 0 = Sunday
  double spacing_hours = 24;  // since the account's previous post
};

FeatureMap features_of(const PostFeatures& p);

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

struct TrainResult {
  LinearModel model;         // fitted on all samples
  double holdout_rmse = 0;   // of a model fitted without the newest holdout_fraction
  double baseline_rmse = 0;  // of predicting the training mean on the same holdout
  double holdout_r2 = 0;
  int train_samples = 0;
  int holdout_samples = 0;
};

inline constexpr int kMinTrainingSamples = 10;

// samples ordered oldest first. Nothing below kMinTrainingSamples.
std::optional<TrainResult> train_ridge(const std::vector<Sample>& samples,
                                       double holdout_fraction = 0.2);

// Fits ridge with a fixed penalty (the intercept is not penalised).
LinearModel fit_ridge(const std::vector<Sample>& samples, double lambda);

}  // namespace gl::learn
