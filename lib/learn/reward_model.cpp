#include "learn/reward_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "learn/bandit.h"
#include "learn/predictor.h"
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
  return wording_features(analyze_text(text));
}

FeatureMap wording_features(const TextFeatures& t) {
  FeatureMap f = {{"length=" + t.length_band, 1}};
  if (t.has_numbers) f["numbers"] = 1;
  if (t.has_question) f["question"] = 1;
  if (t.has_cta) f["cta"] = 1;
  return f;
}

std::string feature_family(const std::string& name) {
  if (name.find('|') != std::string::npos) return "interaction";
  if (is_wording_feature(name)) return "wording";
  if (name.rfind("age", 0) == 0) return "maturity";
  if (name.rfind("repeat_", 0) == 0) return "repetition";
  return name.substr(0, name.find('='));
}

bool is_wording_feature(const std::string& name) {
  return name.rfind("length=", 0) == 0 || name == "numbers" || name == "question" || name == "cta";
}

FeatureMap repetition_features(TimePoint at, const std::vector<TimePoint>& topic_times,
                               const std::vector<TimePoint>& hook_times) {
  FeatureMap f;
  const auto count = [&](const std::vector<TimePoint>& times, const std::string& what) {
    int last_day = 0, days_before = 0;
    for (const TimePoint& t : times) {
      const double age = hours_between(t, at);
      if (age <= 0 || age > kRepetitionWindowHours) continue;
      ++(age <= 24 ? last_day : days_before);
    }
    if (last_day > 0) f[what + "<24h"] = last_day;
    if (days_before > 0) f[what + "24-72h"] = days_before;
  };
  count(topic_times, "repeat_topic");
  count(hook_times, "repeat_hook");
  return f;
}

FeatureMap sorted_repetition_features(TimePoint at, const std::vector<TimePoint>& topic_times,
                                      const std::vector<TimePoint>& hook_times) {
  FeatureMap f;
  const auto count = [&](const std::vector<TimePoint>& sorted, const std::string& what) {
    // repetition_features' own tests on the age, which falls as the time rises:
    // the first time no older than `hours`.
    const auto within = [&](double hours) {
      return std::partition_point(sorted.begin(), sorted.end(),
                                  [&](TimePoint t) { return hours_between(t, at) > hours; });
    };
    const auto window = within(kRepetitionWindowHours), day = within(24), past = within(0);
    if (past > day) f[what + "<24h"] = static_cast<double>(past - day);
    if (day > window) f[what + "24-72h"] = static_cast<double>(day - window);
  };
  count(topic_times, "repeat_topic");
  count(hook_times, "repeat_hook");
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
  if (!generator.empty()) f[generator_feature(generator)] = 1;
  return f;
}

std::string generator_feature(const std::string& generator) { return "generator=" + generator; }

RewardModel RewardModel::fit(const std::vector<WeightedSample>& samples,
                             std::optional<double> fixed_lambda,
                             const std::map<std::string, double>& prior_means) {
  RewardModel m;
  m.n_ = samples.size();
  // Every hour is in the model, drawn jointly, so untried hours keep their
  // correlation with the tried ones; they come first (the prior's hour block).
  for (int h = 0; h < kHours; ++h) {
    m.index_.emplace(hour_name(h), h);
    m.names_.push_back(hour_name(h));
  }
  // Each sample's features as (index, value), in name order: the names are
  // looked up once, not at each pass over the samples.
  std::vector<std::vector<std::pair<int, double>>> nzs(samples.size());
  for (size_t k = 0; k < samples.size(); ++k) {
    for (const auto& [name, v] : samples[k].x) {
      const auto [it, added] = m.index_.emplace(name, static_cast<int>(m.names_.size()));
      if (added) m.names_.push_back(name);
      nzs[k].emplace_back(it->second, v);
    }
  }
  const int d = static_cast<int>(m.names_.size());
  std::vector<char> is_hook(static_cast<size_t>(d)), is_wording(static_cast<size_t>(d));
  for (size_t i = 0; i < m.names_.size(); ++i) {
    is_hook[i] = m.names_[i].rfind("hook=", 0) == 0;
    is_wording[i] = is_wording_feature(m.names_[i]);
  }
  m.prior_means_ = prior_means;
  // The prior's mean part of a sample's reward (x'm), taken out before the fit.
  const auto prior_part = [&](const FeatureMap& x) {
    double p = 0;
    for (const auto& [name, v] : x) {
      const auto it = prior_means.find(name);
      if (it != prior_means.end()) p += it->second * v;
    }
    return p;
  };
  std::vector<double> y;
  for (const auto& s : samples) y.push_back(prior_means.empty() ? s.y : s.y - prior_part(s.x));
  double wsum = 0, wy = 0;
  for (size_t k = 0; k < samples.size(); ++k) {
    wsum += samples[k].weight;
    wy += samples[k].weight * y[k];
  }
  m.intercept_ = wsum > 0 ? wy / wsum : 0;
  // The prior precision's shape P (lambda * P is the prior precision).
  Eigen::MatrixXd P = Eigen::MatrixXd::Identity(d, d);
  for (int i = kHours; i < d; ++i) P(i, i) = 1.0 / prior_share(m.names_[static_cast<size_t>(i)]);
  P.topLeftCorner(kHours, kHours) = hour_prior_precision();
  // The data's part: X'WX and X'W(y - intercept).
  Eigen::MatrixXd XtX = Eigen::MatrixXd::Zero(d, d);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(d);
  double yy = 0;
  m.posts_.assign(static_cast<size_t>(d), 0);
  std::map<std::string, std::pair<double, FeatureMap>> companions;  // hook -> (weight, sums)
  for (size_t k = 0; k < samples.size(); ++k) {
    const WeightedSample& s = samples[k];
    const std::vector<std::pair<int, double>>& nz = nzs[k];
    for (const auto& [i, v] : nz) {
      if (v != 0) ++m.posts_[static_cast<size_t>(i)];
    }
    const double yc = y[k] - m.intercept_;
    yy += s.weight * yc * yc;
    for (const auto& [i, vi] : nz) {
      b(i) += s.weight * vi * yc;
      for (const auto& [j, vj] : nz) XtX(i, j) += s.weight * vi * vj;
    }
    for (const auto& [i, v] : nz) {
      if (!is_hook[static_cast<size_t>(i)] || v == 0) continue;
      auto& [w, sums] = companions[m.names_[static_cast<size_t>(i)]];
      w += s.weight;
      for (const auto& [j, ov] : nz) {
        if (is_wording[static_cast<size_t>(j)])
          sums[m.names_[static_cast<size_t>(j)]] += s.weight * ov;
      }
    }
  }
  for (auto& [name, ws] : companions) {
    for (auto& [other, sum] : ws.second) sum /= ws.first;
    m.companions_[name] = std::move(ws.second);
  }
  // Empirical Bayes, one lambda per family of features (topics, hours, hooks,
  // personas, ...): the lambdas of largest marginal likelihood, with the noise
  // variance profiled out: log p(y | lambdas) = -n/2 log(y'Wy - b'A^-1 b)
  // + sum_f d_f/2 log lambda_f - 1/2 log|A| + const, where A = X'WX + the
  // prior precision (lambda_f P within family f). Found by coordinate ascent
  // over the grid, two sweeps. A family that does not matter (personas, for
  // an audience that never sees them) gets a narrow prior and stops being
  // explored; one that matters keeps a wide one.
  std::vector<std::string> families;
  std::vector<int> family_of_index(static_cast<size_t>(d));
  for (int i = 0; i < d; ++i) {
    const std::string f = feature_family(m.names_[static_cast<size_t>(i)]);
    auto it = std::find(families.begin(), families.end(), f);
    family_of_index[static_cast<size_t>(i)] = static_cast<int>(it - families.begin());
    if (it == families.end()) families.push_back(f);
  }
  std::vector<double> lambdas(families.size(), fixed_lambda.value_or(kDefaultLambda));
  const auto precision = [&](const std::vector<double>& l) {
    Eigen::VectorXd s(d);
    for (int i = 0; i < d; ++i) s(i) = std::sqrt(l[static_cast<size_t>(family_of_index[i])]);
    return Eigen::MatrixXd(s.asDiagonal() * P * s.asDiagonal());
  };
  const auto log_evidence = [&](const std::vector<double>& l) {
    const Eigen::LDLT<Eigen::MatrixXd> ldlt(XtX + precision(l));
    const double q = std::max(1e-12, yy - b.dot(ldlt.solve(b)));
    double prior = 0;
    for (int i = 0; i < d; ++i) prior += std::log(l[static_cast<size_t>(family_of_index[i])]);
    return -0.5 * wsum * std::log(q) + 0.5 * prior - 0.5 * ldlt.vectorD().array().abs().log().sum();
  };
  if (!fixed_lambda && wsum >= kMinPostsForEvidence) {
    const int steps = static_cast<int>(std::lround(2 * std::log2(kMaxLambda / kMinLambda)));
    for (int sweep = 0; sweep < 2; ++sweep) {
      for (size_t f = 0; f < families.size(); ++f) {
        double best = -1e300, best_l = lambdas[f];
        for (int k = 0; k <= steps; ++k) {
          lambdas[f] = kMinLambda * std::pow(2.0, k / 2.0);
          const double e = log_evidence(lambdas);
          if (e > best) {
            best = e;
            best_l = lambdas[f];
          }
        }
        lambdas[f] = best_l;
      }
    }
  }
  for (size_t f = 0; f < families.size(); ++f) m.lambdas_[families[f]] = lambdas[f];
  m.lambda_ = fixed_lambda.value_or(kDefaultLambda);
  const Eigen::MatrixXd A = XtX + precision(lambdas);
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(A);
  m.mean_ = ldlt.solve(b);
  if (!prior_means.empty()) {
    for (int i = 0; i < d; ++i) m.mean_(i) += m.prior_mean(m.names_[static_cast<size_t>(i)]);
  }
  std::vector<double> prior_mean_of(static_cast<size_t>(d), 0);
  if (!prior_means.empty()) {
    for (size_t i = 0; i < m.names_.size(); ++i) prior_mean_of[i] = m.prior_mean(m.names_[i]);
  }
  double sse = 0;
  for (size_t k = 0; k < samples.size(); ++k) {
    const WeightedSample& s = samples[k];
    // Against y - x'm, as fitted: with the intercept of y - X m, x'(mean - m) predicts it.
    double pred = m.intercept_;
    for (const auto& [i, v] : nzs[k])
      pred += (m.mean_(i) - prior_mean_of[static_cast<size_t>(i)]) * v;
    sse += s.weight * (y[k] - pred) * (y[k] - pred);
  }
  const Eigen::MatrixXd A_inv = ldlt.solve(Eigen::MatrixXd::Identity(d, d));
  // The fit's effective parameters: the trace of its hat matrix, plus the intercept.
  const double effective = (A_inv * XtX).trace() + 1;
  // Residual variance, with a floor and a default before there is data.
  m.noise_var_ = wsum > 2 ? std::max(0.05, sse / std::max(1.0, wsum - effective)) : 1.0;
  const Eigen::MatrixXd cov = A_inv * m.noise_var_;
  m.chol_ = Eigen::LLT<Eigen::MatrixXd>(0.5 * (cov + cov.transpose())).matrixL();
  return m;
}

double RewardModel::lambda(const std::string& name) const {
  auto it = lambdas_.find(feature_family(name));
  return it == lambdas_.end() ? lambda_ : it->second;
}

FeatureMap RewardModel::companions(const std::string& name) const {
  auto it = companions_.find(name);
  return it == companions_.end() ? FeatureMap{} : it->second;
}

double RewardModel::prior_mean(const std::string& name) const {
  auto it = prior_means_.find(name);
  return it == prior_means_.end() ? 0 : it->second;
}

double RewardModel::prior_sd(const std::string& name) const {
  return std::sqrt(prior_share(name) * noise_var_ / lambda(name));
}

double RewardModel::mean_coefficient(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? prior_mean(name) : mean_(it->second);
}

double RewardModel::mean_score(const FeatureMap& x) const {
  double s = intercept_;
  for (const auto& [name, v] : x) s += mean_coefficient(name) * v;
  return s;
}

FeatureEvidence RewardModel::evidence(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return {0, prior_mean(name), prior_sd(name)};
  const auto i = it->second;
  return {posts_.empty() ? 0 : posts_[static_cast<size_t>(i)], mean_(i), chol_.row(i).norm()};
}

Eigen::VectorXd RewardModel::draw_all(std::mt19937_64& rng, double scale) const {
  std::normal_distribution<double> z(0, 1);
  Eigen::VectorXd e(static_cast<Eigen::Index>(names_.size()));
  for (Eigen::Index i = 0; i < e.size(); ++i) e(i) = z(rng);
  return mean_ + scale * (chol_ * e);
}

RewardModel::Draw RewardModel::draw(std::mt19937_64& rng, double scale) const {
  Draw d;
  d.model_ = this;
  d.rng_ = &rng;
  d.scale_ = scale;
  const Eigen::VectorXd w = draw_all(rng, scale);
  for (size_t i = 0; i < names_.size(); ++i) d.values_[names_[i]] = w(static_cast<Eigen::Index>(i));
  return d;
}

RewardModel::NamedDraws::NamedDraws(const RewardModel& model, const std::vector<std::string>& names)
    : model_(model) {
  for (const auto& name : names) {
    const auto it = model.index_.find(name);
    index_.push_back(it == model.index_.end() ? -1 : it->second);
    prior_mean_.push_back(it == model.index_.end() ? model.prior_mean(name) : 0);
    prior_sd_.push_back(it == model.index_.end() ? model.prior_sd(name) : 0);
  }
}

void RewardModel::NamedDraws::draw(std::mt19937_64& rng, double scale,
                                   std::vector<double>& out) const {
  const Eigen::VectorXd w = model_.draw_all(rng, scale);
  out.resize(index_.size());
  for (size_t j = 0; j < index_.size(); ++j) {
    // An unseen name draws from its prior, in the names' order, as Draw::coefficient does.
    out[j] = index_[j] >= 0
                 ? w(index_[j])
                 : std::normal_distribution<double>(prior_mean_[j], scale * prior_sd_[j])(rng);
  }
}

double RewardModel::Draw::coefficient(const std::string& name) {
  auto it = values_.find(name);
  if (it != values_.end()) return it->second;
  // Never seen: its prior.
  const double v = std::normal_distribution<double>(model_->prior_mean(name),
                                                    scale_ * model_->prior_sd(name))(*rng_);
  values_[name] = v;
  return v;
}

double RewardModel::Draw::score(const FeatureMap& x) {
  double s = model_->intercept_;
  for (const auto& [name, v] : x) s += coefficient(name) * v;
  return s;
}

std::vector<WeightedSample> decayed(const std::vector<AgedSample>& samples, double half_life_days) {
  std::vector<WeightedSample> out;
  out.reserve(samples.size());
  BanditConfig decay;
  decay.half_life_days = half_life_days;
  for (const auto& s : samples) out.push_back({s.x, s.y, decay_weight(s.age_days, decay)});
  return out;
}

double choose_half_life(const std::vector<AgedSample>& samples,
                        const std::map<std::string, double>& prior_means) {
  // Each fold: the posts of one holdout span, and those older than it aged from its start.
  struct Fold {
    std::vector<AgedSample> older;
    std::vector<const AgedSample*> newer;
  };
  std::vector<Fold> folds;
  for (int f = 0; f < kHalfLifeFolds; ++f) {
    const double from = f * kHalfLifeHoldoutDays, to = from + kHalfLifeHoldoutDays;
    Fold fold;
    for (const auto& s : samples) {
      if (s.age_days >= from && s.age_days < to) {
        fold.newer.push_back(&s);
      } else if (s.age_days >= to) {
        fold.older.push_back(s);
        fold.older.back().age_days -= to;
      }
    }
    if (static_cast<double>(fold.older.size()) >= kMinPostsForEvidence &&
        static_cast<double>(fold.newer.size()) >= kMinPostsForEvidence) {
      folds.push_back(std::move(fold));
    }
  }
  if (folds.empty()) return kDefaultHalfLifeDays;
  double best = kDefaultHalfLifeDays, best_error = std::numeric_limits<double>::infinity();
  for (double h : kHalfLifeDays) {
    double error = 0;
    for (const Fold& fold : folds) {
      const RewardModel m = RewardModel::fit(decayed(fold.older, h), std::nullopt, prior_means);
      // The residuals about their mean: a plan compares choices at one time, so
      // a level the span's posts share (an account that grew) is not held
      // against a candidate, only how it ranks them.
      std::vector<double> residuals;
      double mean = 0;
      for (const AgedSample* s : fold.newer) {
        residuals.push_back(s->y - m.mean_score(s->x));
        mean += residuals.back() / static_cast<double>(fold.newer.size());
      }
      for (double r : residuals) error += (r - mean) * (r - mean);
    }
    // Ties (within rounding) keep the shorter memory, the one that follows a change sooner.
    if (error < best_error * (1 - 1e-9)) {
      best_error = error;
      best = h;
    }
  }
  return best;
}

bool half_life_current(int chosen_on, int samples, int fresh, double days_since) {
  if (days_since < 0 || days_since >= kHalfLifeReuseDays) return false;
  Penalty chosen;
  chosen.samples = chosen_on;
  return penalty_current(chosen, samples, fresh);
}

}  // namespace gl::learn
