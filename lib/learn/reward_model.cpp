#include "learn/reward_model.h"

#include <cmath>

#include "learn/text_features.h"

namespace gl::learn {

namespace {

constexpr int kHours = 24;

std::string hour_name(int h) { return "hour=" + std::to_string(h); }

// The hours' prior correlation (see the header), inverted once: the hours'
// block of the prior precision is lambda times this.
const Eigen::MatrixXd& hour_prior_precision() {
  static const Eigen::MatrixXd precision = [] {
    Eigen::MatrixXd k(kHours, kHours);
    for (int a = 0; a < kHours; ++a) {
      for (int b = 0; b < kHours; ++b) {
        const int d = std::abs(a - b);
        k(a, b) = std::exp(-std::min(d, kHours - d) / kHourCorrelationHours);
      }
    }
    return Eigen::MatrixXd(k.inverse());
  }();
  return precision;
}

}  // namespace

const char* daypart_name(int h) {
  static const char* const kParts[] = {"night", "morning", "afternoon", "evening"};
  return kParts[(((h % kHours) + kHours) % kHours) / 6];
}

double prior_share(const std::string& name) {
  return name.find('|') == std::string::npos ? 1.0 : kInteractionPriorShare;
}

FeatureMap hour_features(int h) { return {{hour_name(((h % kHours) + kHours) % kHours), 1}}; }

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
  if (!topic.empty()) {
    f["topic=" + topic] = 1;
    f["topic=" + topic + "|" + daypart_name(local_hour)] = 1;
  }
  if (!hook.empty()) f["hook=" + hook] = 1;
  if (!generator.empty()) f["generator=" + generator] = 1;
  return f;
}

RewardModel RewardModel::fit(const std::vector<WeightedSample>& samples, double lambda) {
  RewardModel m;
  m.lambda_ = lambda;
  m.n_ = samples.size();
  // Every hour is in the model, drawn jointly, so untried hours keep their
  // correlation with the tried ones; they come first (the prior's hour block).
  for (int h = 0; h < kHours; ++h) {
    m.index_.emplace(hour_name(h), h);
    m.names_.push_back(hour_name(h));
  }
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
  for (int i = kHours; i < d; ++i) A(i, i) = lambda / prior_share(m.names_[static_cast<size_t>(i)]);
  A.topLeftCorner(kHours, kHours) = lambda * hour_prior_precision();
  Eigen::VectorXd b = Eigen::VectorXd::Zero(d);
  m.posts_.assign(static_cast<size_t>(d), 0);
  for (const auto& s : samples) {
    std::vector<std::pair<int, double>> nz;
    for (const auto& [name, v] : s.x) {
      nz.emplace_back(m.index_.at(name), v);
      if (v != 0) ++m.posts_[static_cast<size_t>(nz.back().first)];
    }
    for (const auto& [i, vi] : nz) {
      b(i) += s.weight * vi * (s.y - m.intercept_);
      for (const auto& [j, vj] : nz) A(i, j) += s.weight * vi * vj;
    }
  }
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(A);
  m.mean_ = ldlt.solve(b);
  double sse = 0;
  for (const auto& s : samples) {
    double pred = m.intercept_;
    for (const auto& [name, v] : s.x) pred += m.mean_(m.index_.at(name)) * v;
    sse += s.weight * (s.y - pred) * (s.y - pred);
  }
  // Residual variance, with a floor and a default before there is data.
  m.noise_var_ = wsum > 2 ? std::max(0.05, sse / std::max(1.0, wsum - 1)) : 1.0;
  const Eigen::MatrixXd cov = ldlt.solve(Eigen::MatrixXd::Identity(d, d)) * m.noise_var_;
  m.chol_ = Eigen::LLT<Eigen::MatrixXd>(0.5 * (cov + cov.transpose())).matrixL();
  return m;
}

double RewardModel::mean_coefficient(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? 0 : mean_(it->second);
}

FeatureEvidence RewardModel::evidence(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return {0, 0, std::sqrt(prior_share(name) * noise_var_ / lambda_)};
  const auto i = it->second;
  return {posts_.empty() ? 0 : posts_[static_cast<size_t>(i)], mean_(i), chol_.row(i).norm()};
}

RewardModel::Draw RewardModel::draw(std::mt19937_64& rng, double scale) const {
  Draw d;
  d.model_ = this;
  d.rng_ = &rng;
  d.scale_ = scale;
  std::normal_distribution<double> z(0, 1);
  Eigen::VectorXd e(static_cast<Eigen::Index>(names_.size()));
  for (Eigen::Index i = 0; i < e.size(); ++i) e(i) = z(rng);
  const Eigen::VectorXd w = mean_ + scale * (chol_ * e);
  for (size_t i = 0; i < names_.size(); ++i) d.values_[names_[i]] = w(static_cast<Eigen::Index>(i));
  return d;
}

double RewardModel::Draw::coefficient(const std::string& name) {
  auto it = values_.find(name);
  if (it != values_.end()) return it->second;
  // Never seen: its prior.
  const double v = std::normal_distribution<double>(
      0, scale_ * std::sqrt(prior_share(name) * model_->noise_var_ / model_->lambda_))(*rng_);
  values_[name] = v;
  return v;
}

double RewardModel::Draw::score(const FeatureMap& x) {
  double s = model_->intercept_;
  for (const auto& [name, v] : x) s += coefficient(name) * v;
  return s;
}

}  // namespace gl::learn
