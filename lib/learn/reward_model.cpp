#include "learn/reward_model.h"

#include <cmath>

#include "learn/text_features.h"

namespace gl::learn {

namespace {
constexpr double kTwoPi = 6.283185307179586;
}

FeatureMap hour_features(int h) {
  const double a = kTwoPi * h / 24.0;
  return {{"hour_sin1", std::sin(a)},
          {"hour_cos1", std::cos(a)},
          {"hour_sin2", std::sin(2 * a)},
          {"hour_cos2", std::cos(2 * a)}};
}

FeatureMap wording_features(const std::string& text) {
  const TextFeatures t = analyze_text(text);
  FeatureMap f = {{"length=" + t.length_band, 1}};
  if (t.has_numbers) f["numbers"] = 1;
  if (t.has_question) f["question"] = 1;
  if (t.has_cta) f["cta"] = 1;
  return f;
}

FeatureMap maturity_features(double age_hours) {
  if (age_hours < 6) return {{"age<6h", 1}};
  if (age_hours < 24) return {{"age6-24h", 1}};
  if (age_hours < 72) return {{"age24-72h", 1}};
  return {};
}

FeatureMap choice_features(const std::string& topic, const std::string& hook,
                           const std::string& generator, int local_hour) {
  FeatureMap f = hour_features(local_hour);
  if (!topic.empty()) f["topic=" + topic] = 1;
  if (!hook.empty()) f["hook=" + hook] = 1;
  if (!generator.empty()) f["generator=" + generator] = 1;
  return f;
}

RewardModel RewardModel::fit(const std::vector<WeightedSample>& samples, double lambda) {
  RewardModel m;
  m.lambda_ = lambda;
  m.n_ = samples.size();
  for (const auto& s : samples) {
    for (const auto& [name, v] : s.x) {
      if (m.index_.emplace(name, static_cast<int>(m.names_.size())).second)
        m.names_.push_back(name);
    }
  }
  const int d = static_cast<int>(m.names_.size());
  double wsum = 0, wy = 0;
  for (const auto& s : samples) {
    wsum += s.weight;
    wy += s.weight * s.y;
  }
  m.intercept_ = wsum > 0 ? wy / wsum : 0;
  Eigen::MatrixXd A = Eigen::MatrixXd::Identity(d, d) * lambda;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(d);
  for (const auto& s : samples) {
    std::vector<std::pair<int, double>> nz;
    for (const auto& [name, v] : s.x) nz.emplace_back(m.index_.at(name), v);
    for (const auto& [i, vi] : nz) {
      b(i) += s.weight * vi * (s.y - m.intercept_);
      for (const auto& [j, vj] : nz) A(i, j) += s.weight * vi * vj;
    }
  }
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(A);
  m.mean_ = d > 0 ? Eigen::VectorXd(ldlt.solve(b)) : Eigen::VectorXd();
  double sse = 0;
  for (const auto& s : samples) {
    double pred = m.intercept_;
    for (const auto& [name, v] : s.x) pred += m.mean_(m.index_.at(name)) * v;
    sse += s.weight * (s.y - pred) * (s.y - pred);
  }
  // Residual variance, with a floor and a default before there is data.
  m.noise_var_ = wsum > 2 ? std::max(0.05, sse / std::max(1.0, wsum - 1)) : 1.0;
  if (d > 0) {
    const Eigen::MatrixXd cov = ldlt.solve(Eigen::MatrixXd::Identity(d, d)) * m.noise_var_;
    m.chol_ = Eigen::LLT<Eigen::MatrixXd>(0.5 * (cov + cov.transpose())).matrixL();
  }
  return m;
}

double RewardModel::mean_coefficient(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? 0 : mean_(it->second);
}

RewardModel::Draw RewardModel::draw(std::mt19937_64& rng, double scale) const {
  Draw d;
  d.model_ = this;
  d.rng_ = &rng;
  d.scale_ = scale;
  if (!names_.empty()) {
    std::normal_distribution<double> z(0, 1);
    Eigen::VectorXd e(static_cast<Eigen::Index>(names_.size()));
    for (Eigen::Index i = 0; i < e.size(); ++i) e(i) = z(rng);
    const Eigen::VectorXd w = mean_ + scale * (chol_ * e);
    for (size_t i = 0; i < names_.size(); ++i)
      d.values_[names_[i]] = w(static_cast<Eigen::Index>(i));
  }
  return d;
}

double RewardModel::Draw::coefficient(const std::string& name) {
  auto it = values_.find(name);
  if (it != values_.end()) return it->second;
  // Never seen: its prior.
  const double v = std::normal_distribution<double>(
      0, scale_ * std::sqrt(model_->noise_var_ / model_->lambda_))(*rng_);
  values_[name] = v;
  return v;
}

double RewardModel::Draw::score(const FeatureMap& x) {
  double s = model_->intercept_;
  for (const auto& [name, v] : x) s += coefficient(name) * v;
  return s;
}

}  // namespace gl::learn
