#include "learn/predictor.h"

#include <Eigen/Dense>
#include <cmath>
#include <limits>

#include "learn/text_features.h"

namespace gl::learn {

FeatureMap features_of(const PostFeatures& p) {
  const TextFeatures t = analyze_text(p.text);
  FeatureMap f;
  f[std::string("hook=") + hook_name(t.hook)] = 1;
  f["length=" + t.length_band] = 1;
  if (t.has_numbers) f["numbers"] = 1;
  if (t.has_question) f["question"] = 1;
  if (t.has_cta) f["cta"] = 1;
  if (!p.topic.empty()) f["topic=" + lower(p.topic)] = 1;
  if (!p.generator.empty()) f["generator=" + p.generator] = 1;
  if (!p.formula.empty()) f["formula=" + p.formula] = 1;
  f["hour=" + std::to_string(p.hour)] = 1;
  f["weekday=" + std::to_string(p.weekday)] = 1;
  f["spacing"] = std::log1p(std::max(0.0, std::min(p.spacing_hours, 24.0 * 7))) / 5.0;
  return f;
}

double LinearModel::predict(const FeatureMap& x) const {
  double y = intercept;
  for (size_t i = 0; i < names.size(); ++i) {
    auto it = x.find(names[i]);
    if (it != x.end()) y += weights[i] * it->second;
  }
  return y;
}

nlohmann::json LinearModel::to_json() const {
  nlohmann::json w = nlohmann::json::object();
  for (size_t i = 0; i < names.size(); ++i) w[names[i]] = weights[i];
  return {{"intercept", intercept}, {"lambda", lambda}, {"weights", w}};
}

LinearModel LinearModel::from_json(const nlohmann::json& j) {
  LinearModel m;
  m.intercept = j.value("intercept", 0.0);
  m.lambda = j.value("lambda", 1.0);
  const nlohmann::json weights = j.value("weights", nlohmann::json::object());
  for (auto& [name, w] : weights.items()) {
    m.names.push_back(name);
    m.weights.push_back(w.get<double>());
  }
  return m;
}

LinearModel fit_ridge(const std::vector<Sample>& samples, double lambda) {
  LinearModel m;
  m.lambda = lambda;
  std::map<std::string, int> index;
  for (const auto& s : samples) {
    for (const auto& [name, v] : s.x) {
      if (index.emplace(name, static_cast<int>(index.size())).second) m.names.push_back(name);
    }
  }
  const int n = static_cast<int>(samples.size());
  const int d = static_cast<int>(m.names.size());
  // index assigns in first-seen order; names were pushed in the same order.
  Eigen::MatrixXd X = Eigen::MatrixXd::Zero(n, d);
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) {
    for (const auto& [name, v] : samples[static_cast<size_t>(i)].x) X(i, index[name]) = v;
    y(i) = samples[static_cast<size_t>(i)].y;
  }
  const Eigen::RowVectorXd x_mean = X.colwise().mean();
  const double y_mean = y.mean();
  const Eigen::MatrixXd Xc = X.rowwise() - x_mean;
  const Eigen::VectorXd yc = y.array() - y_mean;
  Eigen::MatrixXd A = Xc.transpose() * Xc;
  A.diagonal().array() += lambda;
  const Eigen::VectorXd w = A.ldlt().solve(Xc.transpose() * yc);
  m.weights.assign(w.data(), w.data() + d);
  m.intercept = y_mean - x_mean.dot(w);
  return m;
}

namespace {

double rmse(const LinearModel& m, const std::vector<Sample>& test) {
  double s = 0;
  for (const auto& t : test) s += std::pow(m.predict(t.x) - t.y, 2);
  return std::sqrt(s / static_cast<double>(test.size()));
}

// Mean validation RMSE over k contiguous folds.
double cv_error(const std::vector<Sample>& train, double lambda, int k) {
  const size_t n = train.size();
  double total = 0;
  for (int f = 0; f < k; ++f) {
    const size_t lo = n * static_cast<size_t>(f) / static_cast<size_t>(k);
    const size_t hi = n * static_cast<size_t>(f + 1) / static_cast<size_t>(k);
    std::vector<Sample> fit, val;
    for (size_t i = 0; i < n; ++i) (i >= lo && i < hi ? val : fit).push_back(train[i]);
    if (fit.empty() || val.empty()) continue;
    total += rmse(fit_ridge(fit, lambda), val);
  }
  return total / k;
}

}  // namespace

std::optional<TrainResult> train_ridge(const std::vector<Sample>& samples,
                                       double holdout_fraction) {
  if (static_cast<int>(samples.size()) < kMinTrainingSamples) return std::nullopt;
  const size_t n_holdout =
      std::max<size_t>(2, static_cast<size_t>(samples.size() * holdout_fraction));
  const std::vector<Sample> train(samples.begin(), samples.end() - static_cast<long>(n_holdout));
  const std::vector<Sample> holdout(samples.end() - static_cast<long>(n_holdout), samples.end());

  double best_lambda = 1, best_err = std::numeric_limits<double>::max();
  for (double lambda : {0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0}) {
    const double err = cv_error(train, lambda, std::min<int>(5, static_cast<int>(train.size())));
    if (err < best_err) {
      best_err = err;
      best_lambda = lambda;
    }
  }
  TrainResult r;
  const LinearModel on_train = fit_ridge(train, best_lambda);
  r.holdout_rmse = rmse(on_train, holdout);
  double train_mean = 0;
  for (const auto& s : train) train_mean += s.y;
  train_mean /= static_cast<double>(train.size());
  double base = 0, total_var = 0, holdout_mean = 0;
  for (const auto& s : holdout) holdout_mean += s.y;
  holdout_mean /= static_cast<double>(holdout.size());
  for (const auto& s : holdout) {
    base += std::pow(s.y - train_mean, 2);
    total_var += std::pow(s.y - holdout_mean, 2);
  }
  r.baseline_rmse = std::sqrt(base / static_cast<double>(holdout.size()));
  r.holdout_r2 = total_var > 0 ? 1 - std::pow(r.holdout_rmse, 2) *
                                         static_cast<double>(holdout.size()) / total_var
                               : 0;
  r.train_samples = static_cast<int>(train.size());
  r.holdout_samples = static_cast<int>(holdout.size());
  r.model = fit_ridge(samples, best_lambda);
  return r;
}

}  // namespace gl::learn
