#include "learn/predictor.h"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "learn/rules.h"
#include "learn/stats.h"
#include "learn/text_features.h"

namespace gl::learn {

std::string target_name(Target t) {
  switch (t) {
    case Target::kLogViews:
      return "log_views";
    case Target::kLogLikes:
      return "log_likes";
    case Target::kEngagementRate:
      return "engagement_rate";
  }
  return "unknown";
}

FeatureMap features_of(const PostFeatures& p, std::optional<double> baseline,
                       const TextFeatures* analyzed) {
  std::optional<TextFeatures> fresh;
  if (!analyzed) fresh = analyze_text(p.text);
  const TextFeatures& t = analyzed ? *analyzed : *fresh;
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
  // An unknown value gets an indicator of its own instead of a made-up number.
  if (p.followers) {
    f["log_followers"] = std::log1p(std::max(0.0, *p.followers));
  } else {
    f["followers_unknown"] = 1;
  }
  if (baseline) {
    f["baseline"] = *baseline;
  } else {
    f["baseline_unknown"] = 1;
  }
  return f;
}

std::optional<double> target_value(const PostCounts& c, Target t) {
  switch (t) {
    case Target::kLogViews:
      if (c.impressions) return std::log1p(static_cast<double>(std::max(0LL, *c.impressions)));
      return std::nullopt;
    case Target::kLogLikes:
      if (c.likes) return std::log1p(static_cast<double>(std::max(0LL, *c.likes)));
      return std::nullopt;
    case Target::kEngagementRate:
      return engagement_rate(c);
  }
  return std::nullopt;
}

std::optional<double> recent_baseline(const std::vector<double>& previous) {
  if (previous.empty()) return std::nullopt;
  const size_t from = previous.size() > kBaselinePosts ? previous.size() - kBaselinePosts : 0;
  return median({previous.begin() + static_cast<long>(from), previous.end()});
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

namespace {

// The samples as a centred matrix, columns in first-seen order of the names.
struct Design {
  std::vector<std::string> names;
  Eigen::MatrixXd xc;  // centred features
  Eigen::VectorXd yc;  // centred target
  Eigen::RowVectorXd x_mean;
  double y_mean = 0;
};

// The samples as an uncentred matrix, columns in first-seen order of the names:
// the first n rows' matrix is the top left corner of it, `columns_of_first[n]` wide.
struct Raw {
  std::vector<std::string> names;
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  std::vector<Eigen::Index> columns_of_first;
};

Raw raw_of(const std::vector<Sample>& samples) {
  Raw r;
  // Hashed, and each feature's column noted as it is met: looked up once for
  // every feature of every sample (the columns keep their first-seen order).
  std::unordered_map<std::string, int> index;
  std::vector<int> columns;  // of each sample's features in turn
  r.columns_of_first.push_back(0);
  for (const auto& s : samples) {
    for (const auto& [name, v] : s.x) {
      const auto [it, added] = index.emplace(name, static_cast<int>(index.size()));
      if (added) r.names.push_back(name);
      columns.push_back(it->second);
    }
    r.columns_of_first.push_back(static_cast<Eigen::Index>(r.names.size()));
  }
  const int n = static_cast<int>(samples.size());
  r.x = Eigen::MatrixXd::Zero(n, static_cast<int>(r.names.size()));
  r.y.resize(n);
  size_t k = 0;
  for (int i = 0; i < n; ++i) {
    for (const auto& [name, v] : samples[static_cast<size_t>(i)].x) r.x(i, columns[k++]) = v;
    r.y(i) = samples[static_cast<size_t>(i)].y;
  }
  return r;
}

Design centred(std::vector<std::string> names, const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  Design d;
  d.names = std::move(names);
  d.x_mean = x.colwise().mean();
  d.y_mean = y.mean();
  d.xc = x.rowwise() - d.x_mean;
  d.yc = y.array() - d.y_mean;
  return d;
}

// The design of the first n samples, from the matrix of all of them: the same
// matrix design_of gives for those samples alone, read once.
Design design_of_first(const Raw& r, Eigen::Index n) {
  const Eigen::Index p = r.columns_of_first[static_cast<size_t>(n)];
  const Eigen::MatrixXd x = r.x.topLeftCorner(n, p);
  const Eigen::VectorXd y = r.y.head(n);
  return centred({r.names.begin(), r.names.begin() + p}, x, y);
}

Design design_of(const std::vector<Sample>& samples) {
  Raw r = raw_of(samples);
  return centred(std::move(r.names), r.x, r.y);
}

constexpr double kLambdaGrid[] = {0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0};

LinearModel fit_design(const Design& d, double lambda) {
  LinearModel m;
  m.lambda = lambda;
  m.names = d.names;
  // X'X by its lower triangle, all the LDLT reads: half the product's work.
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(d.xc.cols(), d.xc.cols());
  a.selfadjointView<Eigen::Lower>().rankUpdate(d.xc.transpose());
  a.diagonal().array() += lambda;
  const Eigen::VectorXd w = a.ldlt().solve(d.xc.transpose() * d.yc);
  m.weights.assign(w.data(), w.data() + w.size());
  m.intercept = d.y_mean - d.x_mean.dot(w);
  return m;
}

double choose_lambda_of(const Design& d) {
  // With X'X = V S V', the ridge hat matrix is 11'/n + Z diag(1 / (s + lambda)) Z'
  // for Z = X V, so every penalty's leave-one-out residuals, e_i / (1 - h_ii),
  // come from one decomposition.
  const double n = static_cast<double>(d.yc.size());
  if (d.names.empty() || d.yc.size() < 3) return 1.0;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(d.xc.transpose() * d.xc);
  const Eigen::VectorXd s = eig.eigenvalues().cwiseMax(0.0);
  const Eigen::MatrixXd z = d.xc * eig.eigenvectors();
  const Eigen::MatrixXd z2 = z.array().square();
  const Eigen::VectorXd zy = z.transpose() * d.yc;
  double best_lambda = 1.0, best_error = std::numeric_limits<double>::max();
  for (double lambda : kLambdaGrid) {
    const Eigen::VectorXd shrink = (s.array() + lambda).inverse();
    const Eigen::VectorXd fitted = z * zy.cwiseProduct(shrink);
    const Eigen::VectorXd h = (z2 * shrink).array() + 1.0 / n;
    double error = 0;
    for (Eigen::Index i = 0; i < h.size(); ++i) {
      const double r = (d.yc(i) - fitted(i)) / std::max(1e-9, 1.0 - h(i));
      error += r * r;
    }
    if (error < best_error) {
      best_error = error;
      best_lambda = lambda;
    }
  }
  return best_lambda;
}

}  // namespace

LinearModel fit_ridge(const std::vector<Sample>& samples, double lambda) {
  return fit_design(design_of(samples), lambda);
}

double choose_lambda(const std::vector<Sample>& samples) {
  return choose_lambda_of(design_of(samples));
}

nlohmann::json Penalty::to_json() const {
  return {{"holdout", holdout}, {"all", all}, {"samples", samples}, {"through", through}};
}

std::optional<Penalty> Penalty::from_json(const nlohmann::json& j) {
  for (const char* key : {"holdout", "all", "samples", "through"})
    if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return std::nullopt;
  return Penalty{j["holdout"].get<double>(), j["all"].get<double>(), j["samples"].get<int>(),
                 j["through"].get<double>()};
}

bool penalty_current(const Penalty& chosen, int samples, int fresh) {
  const double growth = std::max<double>(kPenaltyMinGrowth, kPenaltyGrowth * chosen.samples);
  return fresh < growth && std::abs(samples - chosen.samples) < growth;
}

namespace {

// train_ridge over the samples' matrix (raw_of), read once for both fits.
std::optional<TrainResult> train_raw(const Raw& raw, const std::optional<Penalty>& reuse) {
  const size_t n = static_cast<size_t>(raw.y.size());
  if (static_cast<int>(n) < kMinSamples) return std::nullopt;
  const size_t n_holdout = std::max<size_t>(
      kMinHoldoutSamples, static_cast<size_t>(static_cast<double>(n) * kHoldoutFraction));
  const size_t n_train = n - n_holdout;
  const auto y_of = [&raw](size_t i) { return raw.y(static_cast<Eigen::Index>(i)); };

  const Design older = design_of_first(raw, static_cast<Eigen::Index>(n_train));
  const Design all = centred(raw.names, raw.x, raw.y);
  TrainResult r;
  r.penalty_reused = reuse.has_value();
  r.penalty = reuse
                  ? *reuse
                  : Penalty{choose_lambda_of(older), choose_lambda_of(all), static_cast<int>(n), 0};
  const LinearModel on_train = fit_design(older, r.penalty.holdout);
  std::vector<double> predicted, actual;  // on the held-out samples, oldest first
  // LinearModel::predict from the matrix row: the model's names are its first
  // columns, and a feature a sample lacks is 0 there (adds nothing, as there).
  for (size_t i = n_train; i < n; ++i) {
    double y = on_train.intercept;
    for (size_t j = 0; j < on_train.weights.size(); ++j)
      y += on_train.weights[j] * raw.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
    predicted.push_back(y);
    actual.push_back(y_of(i));
  }
  double squares = 0;
  for (size_t k = 0; k < n_holdout; ++k) squares += std::pow(predicted[k] - actual[k], 2);
  r.holdout_rmse = std::sqrt(squares / static_cast<double>(n_holdout));
  double train_mean = 0;
  for (size_t i = 0; i < n_train; ++i) train_mean += y_of(i);
  train_mean /= static_cast<double>(n_train);
  double base = 0;
  for (double y : actual) base += std::pow(y - train_mean, 2);
  r.baseline_rmse = std::sqrt(base / static_cast<double>(n_holdout));
  std::vector<double> gains;
  for (size_t k = 0; k < n_holdout; ++k)
    gains.push_back(std::pow(actual[k] - train_mean, 2) - std::pow(predicted[k] - actual[k], 2));
  r.holdout_gain = mean(gains);
  r.holdout_gain_se = std::sqrt(variance(gains) / static_cast<double>(n_holdout));
  r.holdout_spearman = spearman(predicted, actual);
  const double total_var = variance(actual) * static_cast<double>(actual.size() - 1);
  r.holdout_r2 = total_var > 0
                     ? 1 - std::pow(r.holdout_rmse, 2) * static_cast<double>(n_holdout) / total_var
                     : 0;
  r.train_samples = static_cast<int>(n_train);
  r.holdout_samples = static_cast<int>(n_holdout);
  r.model = fit_design(all, r.penalty.all);
  return r;
}

}  // namespace

std::optional<TrainResult> train_ridge(const std::vector<Sample>& samples,
                                       const std::optional<Penalty>& reuse) {
  if (static_cast<int>(samples.size()) < kMinSamples) return std::nullopt;
  return train_raw(raw_of(samples), reuse);
}

namespace {

std::string what_is_known(Target t) {
  switch (t) {
    case Target::kLogViews:
      return "a view count";
    case Target::kLogLikes:
      return "a like count";
    case Target::kEngagementRate:
      return "an engagement rate";
  }
  return "";
}

// Why no post has the target: which counters X did not report, and for how many.
std::string unknown_reason(Target t, const std::vector<PredictorPost>& posts) {
  if (posts.empty()) return "no post to learn from";
  const std::string all = std::to_string(posts.size());
  if (t == Target::kLogViews) return "X reported no view count for any of the " + all + " posts";
  if (t == Target::kLogLikes) return "X reported no like count for any of the " + all + " posts";
  long long views = 0, likes = 0, retweets = 0, replies = 0, zero_views = 0;
  for (const auto& p : posts) {
    views += !p.counts.impressions;
    likes += !p.counts.likes;
    retweets += !p.counts.retweets;
    replies += !p.counts.replies;
    zero_views += p.counts.impressions && *p.counts.impressions == 0;
  }
  std::string missing;
  const auto add = [&](long long n, const std::string& what) {
    if (n > 0) missing += (missing.empty() ? "" : ", ") + what + " for " + std::to_string(n);
  };
  add(views, "views");
  add(likes, "likes");
  add(retweets, "retweets");
  add(replies, "replies");
  std::string reason = "no post of the " + all +
                       " has an engagement rate (it needs views, likes, retweets and replies)";
  if (!missing.empty()) reason += "; X did not report " + missing;
  if (zero_views > 0) reason += "; " + std::to_string(zero_views) + " have 0 views";
  return reason;
}

}  // namespace

namespace {

// A numeric feature that may be unknown, and its indicator.
constexpr std::pair<const char*, const char*> kMaybeUnknown[] = {
    {"log_followers", "followers_unknown"}, {"baseline", "baseline_unknown"}};

// A sample's features in a FeatureMap's order (by name, in byte order), each
// name an index into Names: what raw_of reads of a FeatureMap, without a map
// per post and target (three quarters of a training's CPU besides the algebra).
class Names {
 public:
  int id(const std::string& name) {
    const auto [it, added] = ids_.emplace(name, static_cast<int>(names_.size()));
    if (added) names_.push_back(name);
    return it->second;
  }
  const std::string& operator[](int id) const { return names_[static_cast<size_t>(id)]; }
  size_t size() const { return names_.size(); }

 private:
  std::unordered_map<std::string, int> ids_;
  std::vector<std::string> names_;
};
using Entries = std::vector<std::pair<int, double>>;

// Sets `id` to `value` in `e`, at its place by name (as FeatureMap's operator[]).
void set_by_name(Entries& e, int id, double value, const Names& names) {
  const auto at = std::lower_bound(e.begin(), e.end(), id, [&names](const auto& entry, int x) {
    return names[entry.first] < names[x];
  });
  if (at != e.end() && at->first == id) {
    at->second = value;
  } else {
    e.insert(at, {id, value});
  }
}

const double* find(const Entries& e, int id) {
  for (const auto& [at, v] : e)
    if (at == id) return &v;
  return nullptr;
}

// raw_of over samples given as entries: the same matrix, columns in the same order.
Raw raw_of(const std::vector<Entries>& xs, const std::vector<double>& ys, const Names& names) {
  Raw r;
  std::vector<int> column(names.size(), -1);
  r.columns_of_first.push_back(0);
  for (const auto& e : xs) {
    for (const auto& [id, v] : e) {
      int& c = column[static_cast<size_t>(id)];
      if (c < 0) {
        c = static_cast<int>(r.names.size());
        r.names.push_back(names[id]);
      }
    }
    r.columns_of_first.push_back(static_cast<Eigen::Index>(r.names.size()));
  }
  const int n = static_cast<int>(xs.size());
  r.x = Eigen::MatrixXd::Zero(n, static_cast<int>(r.names.size()));
  r.y.resize(n);
  for (int i = 0; i < n; ++i) {
    for (const auto& [id, v] : xs[static_cast<size_t>(i)])
      r.x(i, column[static_cast<size_t>(id)]) = v;
    r.y(i) = ys[static_cast<size_t>(i)];
  }
  return r;
}

}  // namespace

void fill_unknown(FeatureMap& x, const std::map<std::string, double>& fills) {
  for (const auto& [name, indicator] : kMaybeUnknown) {
    const auto fill = fills.find(name);
    if (x.count(indicator) && fill != fills.end()) x[name] = fill->second;
  }
}

std::vector<TargetModel> train_predictor(const std::vector<PredictorPost>& posts,
                                         const std::map<Target, Penalty>& chosen) {
  // Each post's text is read once for the three targets (those not stored),
  // and its features but the baseline made once: the targets differ there only.
  Names names;
  const int baseline = names.id("baseline"), baseline_unknown = names.id("baseline_unknown");
  std::vector<Entries> own(posts.size());
  for (size_t i = 0; i < posts.size(); ++i) {
    std::optional<TextFeatures> analysed;
    if (!posts[i].analyzed) analysed = analyze_text(posts[i].features.text);
    const TextFeatures& text = posts[i].analyzed ? *posts[i].analyzed : *analysed;
    for (const auto& [name, v] : features_of(posts[i].features, std::nullopt, &text)) {
      if (name != "baseline_unknown") own[i].emplace_back(names.id(name), v);
    }
  }
  std::vector<TargetModel> out;
  for (Target t : kTargets) {
    TargetModel m;
    m.target = t;
    std::vector<Entries> xs;
    std::vector<double> ys;  // the target's known values, oldest first
    const auto before = chosen.find(t);
    int fresh = 0;  // samples that arrived since `before` was chosen
    double newest = 0;
    for (size_t i = 0; i < posts.size(); ++i) {
      const PredictorPost& p = posts[i];
      const auto y = target_value(p.counts, t);
      if (!y) continue;
      Entries& x = xs.emplace_back(own[i]);
      x.reserve(x.size() + 2);
      if (const auto b = recent_baseline(ys)) {
        set_by_name(x, baseline, *b, names);
      } else {
        set_by_name(x, baseline_unknown, 1, names);
      }
      ys.push_back(*y);
      if (before != chosen.end() && p.posted_at > before->second.through) ++fresh;
      newest = p.posted_at;
    }
    m.known = static_cast<int>(xs.size());
    m.baseline_now = recent_baseline(ys);
    // Where a sample does not know one, the mean of the samples that do: centred,
    // it is 0 and pulls on no weight (a 0 would be a point of huge leverage, far
    // from every known value); the indicator carries the difference.
    for (const auto& [name, indicator] : kMaybeUnknown) {
      const int id = names.id(name);
      double sum = 0;
      int n = 0;
      for (const auto& x : xs) {
        if (const double* v = find(x, id)) {
          sum += *v;
          ++n;
        }
      }
      if (n > 0) m.fills[name] = sum / n;
    }
    for (const auto& [name, indicator] : kMaybeUnknown) {
      const auto fill = m.fills.find(name);
      if (fill == m.fills.end()) continue;
      const int id = names.id(name), unknown = names.id(indicator);
      for (auto& x : xs)
        if (find(x, unknown)) set_by_name(x, id, fill->second, names);
    }
    if (xs.empty()) {
      m.reason = unknown_reason(t, posts);
    } else if (m.known < kMinSamples) {
      m.reason = std::to_string(m.known) + " posts with " + what_is_known(t) + ", fewer than the " +
                 std::to_string(kMinSamples) + " needed (" + std::to_string(kMinTrainingSamples) +
                 " to train, " + std::to_string(kMinHoldoutSamples) + " held out)";
    } else {
      std::optional<Penalty> reuse;
      if (before != chosen.end() && penalty_current(before->second, m.known, fresh))
        reuse = before->second;
      m.fit = train_raw(raw_of(xs, ys, names), reuse);
      if (!reuse) m.fit->penalty.through = newest;
    }
    out.push_back(std::move(m));
  }
  return out;
}

nlohmann::json StoredTarget::to_json() const {
  nlohmann::json j = model.to_json();
  j["baseline_now"] = baseline_now ? nlohmann::json(*baseline_now) : nlohmann::json(nullptr);
  j["fill_unknown"] = fills;
  if (penalty) j["penalty"] = penalty->to_json();
  return j;
}

StoredTarget StoredTarget::from_json(const nlohmann::json& j) {
  StoredTarget s;
  s.model = LinearModel::from_json(j);
  if (j.contains("baseline_now") && j["baseline_now"].is_number())
    s.baseline_now = j["baseline_now"].get<double>();
  if (j.contains("fill_unknown") && j["fill_unknown"].is_object())
    s.fills = j["fill_unknown"].get<std::map<std::string, double>>();
  if (j.contains("penalty")) s.penalty = Penalty::from_json(j["penalty"]);
  return s;
}

Prediction predict(const std::map<Target, StoredTarget>& usable, const PostFeatures& p) {
  Prediction out;
  for (const auto& [t, s] : usable) {
    FeatureMap x = features_of(p, s.baseline_now);
    fill_unknown(x, s.fills);
    const double y = s.model.predict(x);
    switch (t) {
      case Target::kLogViews:
        out.views = std::expm1(std::max(0.0, y));
        break;
      case Target::kLogLikes:
        out.likes = std::expm1(std::max(0.0, y));
        break;
      case Target::kEngagementRate:
        out.engagement_rate = std::max(0.0, y);
        break;
    }
  }
  return out;
}

}  // namespace gl::learn
