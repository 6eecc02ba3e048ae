#include "jobs/training.h"

#include <cmath>

#include "jobs/learning_data.h"

namespace gl::jobs {

namespace {

Json metrics_json(const learn::TrainResult& r) {
  return {{"holdout_rmse", r.holdout_rmse},       {"baseline_rmse", r.baseline_rmse},
          {"holdout_r2", r.holdout_r2},           {"train_samples", r.train_samples},
          {"holdout_samples", r.holdout_samples}, {"lambda", r.model.lambda}};
}

}  // namespace

Json train_predictor(db::AccountRun& run, const std::string& format) {
  std::vector<LearnedPost> posts;
  {
    pqxx::read_transaction t(run.conn);
    posts = load_gated_posts(t, {run.account.id, run.now, format});
  }
  std::vector<learn::Sample> views, er;
  for (const auto& p : posts) {
    const learn::FeatureMap x = learn::features_of(
        {p.content, p.topic, p.generator, p.formula, p.hour, p.weekday, p.spacing_hours});
    views.push_back(
        {x, std::log(static_cast<double>(std::max(1LL, p.metrics.impressions.value_or(1))))});
    if (p.engagement_rate) er.push_back({x, *p.engagement_rate});
  }
  const auto v = learn::train_ridge(views);
  const auto e = learn::train_ridge(er);
  if (!v || !e) {
    return {
        {"format", format},
        {"trained", false},
        {"samples", posts.size()},
        {"reason", "fewer than " + std::to_string(learn::kMinTrainingSamples) + " gated posts"}};
  }
  const std::string trained_at = format_iso8601(run.now);
  const std::string through = format_iso8601(posts.back().posted_at);
  const Json params = {{"log_views", v->model.to_json()}, {"engagement_rate", e->model.to_json()}};
  const Json metrics = {{"log_views", metrics_json(*v)}, {"engagement_rate", metrics_json(*e)}};
  int version = 0;
  if (!run.ctx.common.dry_run) {
    pqxx::work w(run.conn);
    version = w.exec_params1(
                   "INSERT INTO predictor_models (account_id, version, format, kind, params, "
                   "metrics, samples, "
                   "  trained_through, trained_at) "
                   "SELECT $1, coalesce(max(version), 0) + 1, $2, 'ridge', $3::jsonb, $4::jsonb, "
                   "$5, $6, $7 "
                   "FROM predictor_models WHERE account_id = $1 RETURNING version",
                   run.account.id, format, params.dump(), metrics.dump(),
                   static_cast<int>(posts.size()), through, trained_at)[0]
                  .as<int>();
    w.commit();
  }
  return {{"format", format},
          {"trained", true},
          {"version", version},
          {"samples", posts.size()},
          {"trained_at", trained_at},
          {"holdout_rmse_log_views", v->holdout_rmse},
          {"baseline_rmse_log_views", v->baseline_rmse},
          {"holdout_rmse_engagement_rate", e->holdout_rmse},
          {"baseline_rmse_engagement_rate", e->baseline_rmse}};
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

std::optional<StoredPredictor> current_predictor(pqxx::transaction_base& t, long long account_id,
                                                 const std::string& format) {
  auto r = t.exec_params(
      "SELECT version, params FROM predictor_models WHERE account_id = $1 AND format = $2 "
      "ORDER BY version DESC LIMIT 1",
      account_id, format);
  if (r.empty()) return std::nullopt;
  const auto params = Json::parse(r[0][1].as<std::string>());
  return StoredPredictor{r[0][0].as<int>(), learn::LinearModel::from_json(params.at("log_views")),
                         learn::LinearModel::from_json(params.at("engagement_rate"))};
}

}  // namespace gl::jobs
