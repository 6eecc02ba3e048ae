#include "jobs/policy_estimates.h"

namespace gl::jobs {

namespace {

std::optional<double> number(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<std::string> text(const Json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<double> column(const pqxx::field& f) {
  return f.is_null() ? std::nullopt : std::optional<double>(f.as<double>());
}

}  // namespace

void store_policy_estimates(pqxx::work& w, long long account_id, TimePoint evaluated_at,
                            std::optional<TimePoint> since, const std::vector<Json>& lines) {
  const std::string at = format_iso8601(evaluated_at);
  const std::optional<std::string> from =
      since ? std::optional<std::string>(format_iso8601(*since)) : std::nullopt;
  w.exec_params0("DELETE FROM policy_estimates WHERE account_id = $1 AND evaluated_at = $2",
                 account_id, at);
  for (const auto& j : lines) {
    w.exec_params0(
        "INSERT INTO policy_estimates (account_id, evaluated_at, policy, estimator, exploration, "
        "  since, posts, value, ci_low, ci_high, ess, support, warning) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        account_id, at, j.at("policy").get<std::string>(), j.at("estimator").get<std::string>(),
        number(j, "exploration"), from, j.at("posts").get<long long>(), number(j, "value"),
        number(j, "ci_low"), number(j, "ci_high"), number(j, "ess"), number(j, "support"),
        text(j, "warning"));
  }
}

std::optional<StoredEvaluation> latest_policy_estimates(pqxx::transaction_base& t,
                                                        long long account_id, TimePoint now) {
  const auto rows = t.exec_params(
      "SELECT extract(epoch FROM evaluated_at)::float8, policy, estimator, exploration, value, "
      "  ci_low, ci_high, posts, coalesce(warning, '') "
      "FROM policy_estimates "
      "WHERE account_id = $1 AND evaluated_at = ("
      "  SELECT max(evaluated_at) FROM policy_estimates "
      "  WHERE account_id = $1 AND evaluated_at <= $2) "
      "ORDER BY policy, estimator",
      account_id, format_iso8601(now));
  if (rows.empty()) return std::nullopt;
  StoredEvaluation e;
  e.evaluated_at = from_epoch_seconds(rows[0][0].as<double>());
  for (const auto& r : rows) {
    StoredEstimate s;
    s.policy = r[1].as<std::string>();
    s.estimator = r[2].as<std::string>();
    s.exploration = column(r[3]);
    s.value = column(r[4]);
    s.ci_low = column(r[5]);
    s.ci_high = column(r[6]);
    s.posts = r[7].as<long long>();
    s.warning = r[8].as<std::string>();
    e.estimates.push_back(std::move(s));
  }
  return e;
}

AutoExploration auto_exploration(pqxx::transaction_base& t, long long account_id, TimePoint now,
                                 double current) {
  AutoExploration a;
  a.evidence = {{"mode", "auto"}, {"current", current}};
  const auto latest = latest_policy_estimates(t, account_id, now);
  if (!latest || latest->evaluated_at < now - kEstimateMaxAge) {
    a.choice = {current, false, "no evaluate run in the last 7 days: the current spread stays"};
    a.evidence.update({{"chosen", current}, {"reason", a.choice.reason}});
    return a;
  }
  std::vector<learn::ScaleEstimate> candidates;
  Json seen = Json::array();
  for (const auto& s : latest->estimates) {
    if (s.estimator != "dr" || !s.exploration) continue;
    Json j = {{"exploration", *s.exploration}, {"value", nullptr}, {"warning", s.warning}};
    if (s.value && s.ci_low && s.ci_high && s.warning.empty()) {
      candidates.push_back({*s.exploration, *s.value, *s.ci_low, *s.ci_high});
      j["value"] = *s.value;
      j["interval"] = {*s.ci_low, *s.ci_high};
    }
    seen.push_back(j);
  }
  a.choice = learn::choose_exploration(current, candidates);
  a.evidence.update({{"evaluated_at", format_iso8601(latest->evaluated_at)},
                     {"candidates", seen},
                     {"chosen", a.choice.exploration},
                     {"reason", a.choice.reason}});
  return a;
}

}  // namespace gl::jobs
