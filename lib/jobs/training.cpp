#include "jobs/training.h"

#include <algorithm>
#include <chrono>

#include "db/connection.h"
#include "db/pg_array.h"
#include "jobs/learning_data.h"

namespace gl::jobs {

namespace {

const std::string& views_unknown_name() {
  static const std::string kName = learn::gate_failure_name(learn::GateFailure::kViewsUnknown);
  return kName;
}

bool learnable(const learn::GateResult& g) {
  return g.passed || (g.failures.size() == 1 && g.failures[0] == views_unknown_name());
}

// Why a post is not learnable: its first failed gate, views_unknown aside
// (waived), so a post without views and with 2 likes counts as likes_below_5.
const std::string& skip_reason(const learn::GateResult& g) {
  for (const auto& f : g.failures)
    if (f != views_unknown_name()) return f;
  return g.failures.front();
}

Json target_json(const learn::TargetModel& m) {
  Json j = {{"known", m.known}, {"trained", m.fit.has_value()}};
  if (!m.fit) {
    j["reason"] = m.reason;
    j["used_for_planning"] = false;
    return j;
  }
  const learn::TrainResult& r = *m.fit;
  j["train_samples"] = r.train_samples;
  j["holdout_samples"] = r.holdout_samples;
  j["holdout_rmse"] = r.holdout_rmse;
  j["baseline_rmse"] = r.baseline_rmse;
  j["holdout_spearman"] = r.holdout_spearman;
  j["holdout_r2"] = r.holdout_r2;
  j["holdout_gain"] = r.holdout_gain;
  j["holdout_gain_se"] = r.holdout_gain_se;
  j["lambda"] = r.model.lambda;
  j["penalty"] = {{"holdout_lambda", r.penalty.holdout},
                  {"chosen_at_samples", r.penalty.samples},
                  {"reused", r.penalty_reused}};
  j["beats_mean"] = r.beats_mean();
  j["used_for_planning"] = m.usable();
  return j;
}

// The format's newest stored model, as plan-post and the next training read it.
struct StoredModel {
  int version = 0;
  Json params, metrics;
};

std::optional<StoredModel> newest_model(pqxx::transaction_base& t, long long account_id,
                                        const std::string& format) {
  const auto r = t.exec_params(
      "SELECT version, params, metrics FROM predictor_models WHERE account_id = $1 AND format = $2 "
      "ORDER BY version DESC LIMIT 1",
      account_id, format);
  if (r.empty()) return std::nullopt;
  return StoredModel{r[0][0].as<int>(), Json::parse(r[0][1].as<std::string>()),
                     Json::parse(r[0][2].as<std::string>())};
}

// The penalties stored with the format's newest model, by target.
std::map<learn::Target, learn::Penalty> stored_penalties(pqxx::transaction_base& t,
                                                         long long account_id,
                                                         const std::string& format) {
  std::map<learn::Target, learn::Penalty> out;
  const auto model = newest_model(t, account_id, format);
  if (!model) return out;
  for (learn::Target target : learn::kTargets) {
    const std::string name = learn::target_name(target);
    if (!model->params.contains(name)) continue;
    if (const auto p = learn::StoredTarget::from_json(model->params[name]).penalty)
      out[target] = *p;
  }
  return out;
}

}  // namespace

namespace {
// For many times (a training's posts, not a plan's one instant), an account
// with at most this many follower snapshots has them read and looked up here:
// one short read instead of two index probes per time (8 ms for the
// predictor's 5,000 posts). A denser one (scrape-metrics takes one each run)
// costs this read's few rows more, then the probes.
constexpr int kSnapshotsReadWhole = 500;
constexpr size_t kManyTimes = 50;
}  // namespace

std::vector<std::optional<double>> followers_at(pqxx::transaction_base& t, long long account_id,
                                                const std::vector<TimePoint>& times) {
  // Each snapshot's time in microseconds, exactly as the times below compare.
  const auto few =
      times.size() < kManyTimes
          ? pqxx::result()
          : t.exec_params(
                "SELECT (extract(epoch FROM fs.taken_at) * 1000000)::int8, "
                "fs.followers_count::float8 "
                "FROM follower_snapshots fs WHERE fs.account_id = $1 ORDER BY fs.taken_at LIMIT $2",
                account_id, kSnapshotsReadWhole + 1);
  if (times.size() >= kManyTimes && few.size() <= static_cast<size_t>(kSnapshotsReadWhole)) {
    std::vector<long long> taken;
    std::vector<double> count;
    for (const auto& r : few) {
      taken.push_back(r[0].as<long long>());
      count.push_back(db::as_double(r[1]));
    }
    std::vector<std::optional<double>> out;
    out.reserve(times.size());
    for (const auto& tp : times) {
      const long long us =
          std::chrono::duration_cast<std::chrono::microseconds>(as_written(tp).time_since_epoch())
              .count();
      const auto after = std::upper_bound(taken.begin(), taken.end(), us);
      if (after != taken.begin()) {
        out.push_back(count[static_cast<size_t>(after - taken.begin()) - 1]);
      } else if (after != taken.end()) {
        out.push_back(count[static_cast<size_t>(after - taken.begin())]);
      } else {
        out.push_back(std::nullopt);
      }
    }
    return out;
  }
  db::PgArray at;
  for (const auto& tp : times) at.add_text(format_iso8601(tp));
  std::vector<std::optional<double>> out;
  for (const auto& r : t.exec_params(
           "SELECT coalesce("
           "  (SELECT fs.followers_count FROM follower_snapshots fs WHERE fs.account_id = $1 "
           "     AND fs.taken_at <= u.at ORDER BY fs.taken_at DESC LIMIT 1), "
           "  (SELECT fs.followers_count FROM follower_snapshots fs WHERE fs.account_id = $1 "
           "     AND fs.taken_at > u.at ORDER BY fs.taken_at LIMIT 1))::float8 "
           "FROM unnest($2::timestamptz[]) WITH ORDINALITY AS u(at, i) ORDER BY u.i",
           account_id, at.str())) {
    out.push_back(db::optional_double(r[0]));
  }
  return out;
}

namespace {

// A post as the predictor learns from it, with the account's followers when it
// was posted. Its content only when its text is not analysed: the predictor
// reads the content then alone (learn::train_predictor).
learn::PredictorPost predictor_post(const LearnedPost& p, std::optional<double> followers) {
  return {{p.text ? std::string() : p.content, p.topic, p.generator, p.formula, p.hour, p.weekday,
           p.spacing_hours, followers},
          p.metrics,
          p.text,
          std::chrono::duration<double>(p.posted_at.time_since_epoch()).count()};
}

}  // namespace

Json train_predictor(db::AccountRun& run, const std::string& format, bool full,
                     const std::vector<ScopedPost>* read) {
  // The newest kPredictorPosts of the caller's posts (what load_posts reads),
  // else loaded here: pointed at, not copied.
  std::vector<LearnedPost> loaded;
  std::vector<const LearnedPost*> all;
  std::vector<std::optional<double>> followers;
  std::map<learn::Target, learn::Penalty> penalties;
  {
    pqxx::read_transaction t(run.conn);
    if (!full) penalties = stored_penalties(t, run.account.id, format);
    if (read) {
      for (size_t i = newest_posts_from(*read); i < read->size(); ++i)
        all.push_back(&(*read)[i].post);
    } else {
      loaded = load_posts(t, {run.account.id, run.now, format});
      all.reserve(loaded.size());
      for (const auto& p : loaded) all.push_back(&p);
    }
    std::vector<TimePoint> times;
    times.reserve(all.size());
    for (const LearnedPost* p : all) times.push_back(p->posted_at);
    followers = followers_at(t, run.account.id, times);
  }
  std::vector<learn::PredictorPost> posts;
  posts.reserve(all.size());
  Json skipped = Json::object();
  long long views_unknown = 0;
  TimePoint newest{};
  for (size_t i = 0; i < all.size(); ++i) {
    const LearnedPost& p = *all[i];
    const auto gates =
        learn::evaluate_gates(p.metrics, hours_between(p.posted_at, run.now), p.available);
    if (!learnable(gates)) {
      const std::string& why = skip_reason(gates);
      skipped[why] = skipped.value(why, 0LL) + 1;
      continue;
    }
    if (!gates.passed) ++views_unknown;
    newest = p.posted_at;
    posts.push_back(predictor_post(p, followers[i]));
  }

  Json targets = Json::object();
  Json params = Json::object();
  bool trained = false, used = false;
  std::string reasons;
  for (const auto& m : learn::train_predictor(posts, penalties)) {
    const std::string name = learn::target_name(m.target);
    targets[name] = target_json(m);
    if (m.fit) {
      trained = true;
      params[name] =
          learn::StoredTarget{m.fit->model, m.baseline_now, m.fills, m.fit->penalty}.to_json();
    } else {
      reasons += (reasons.empty() ? "" : "; ") + name + ": " + m.reason;
    }
    used = used || m.usable();
  }
  Json report = {{"format", format},
                 {"trained", trained},
                 {"posts", posts.size()},
                 {"posts_skipped", skipped},
                 {"views_unknown", views_unknown},
                 {"targets", targets},
                 {"used_for_planning", used}};
  if (!trained) {
    report["reason"] = posts.empty() ? "none of the " + std::to_string(all.size()) +
                                           " posts is learnable (see posts_skipped)"
                                     : reasons;
    return report;
  }
  if (!used) report["reason"] = "no target beats predicting the mean on the newest posts";

  const std::string trained_at = format_iso8601(run.now);
  const Json metrics = {
      {"targets", targets}, {"used_for_planning", used}, {"views_unknown", views_unknown}};
  int version = 0;
  if (!run.ctx.common.dry_run) {
    pqxx::work w(run.conn);
    db::lock_account_table(w, "predictor_models", run.account.id);
    version = w.exec_params1(
                   "INSERT INTO predictor_models (account_id, version, format, kind, params, "
                   "  metrics, samples, trained_through, trained_at) "
                   "SELECT $1, coalesce(max(version), 0) + 1, $2, 'ridge', $3::jsonb, $4::jsonb, "
                   "  $5, $6, $7 "
                   "FROM predictor_models WHERE account_id = $1 RETURNING version",
                   run.account.id, format, params.dump(), metrics.dump(),
                   static_cast<int>(posts.size()), format_iso8601(newest), trained_at)[0]
                  .as<int>();
    w.commit();
  }
  report["version"] = version;
  report["trained_at"] = trained_at;
  return report;
}

long long new_gated_posts_since_training(db::AccountRun& run, const std::string& format) {
  pqxx::read_transaction t(run.conn);
  return LearningQuery({run.account.id, run.now, format})
      .exec(t,
            "SELECT count(*) FROM gated lp, scope WHERE lp.posted_at > coalesce("
            "  (SELECT m.trained_through FROM predictor_models m WHERE m.account_id = "
            "scope.account_id AND m.format = scope.format ORDER BY m.version DESC LIMIT 1), "
            "'-infinity')")[0][0]
      .as<long long>();
}

learn::Prediction StoredPredictor::predict(learn::PostFeatures p) const {
  p.followers = followers_now;
  return learn::predict(usable, p);
}

std::optional<StoredPredictor> current_predictor(pqxx::transaction_base& t, long long account_id,
                                                 const std::string& format, TimePoint now) {
  const auto model = newest_model(t, account_id, format);
  if (!model) return std::nullopt;
  StoredPredictor s;
  s.version = model->version;
  const Json& params = model->params;
  const Json& metrics = model->metrics;
  // A model stored without a held-out verdict (older versions) is never used.
  const Json targets = metrics.value("targets", Json::object());
  for (learn::Target target : learn::kTargets) {
    const std::string name = learn::target_name(target);
    if (params.contains(name) && targets.contains(name) &&
        targets[name].value("used_for_planning", false)) {
      s.usable[target] = learn::StoredTarget::from_json(params[name]);
    }
  }
  s.followers_now = followers_at(t, account_id, {now}).front();
  return s;
}

}  // namespace gl::jobs
