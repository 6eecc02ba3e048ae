#include "jobs/pooled_effects.h"

#include "db/pg_array.h"

namespace gl::jobs {

namespace {

constexpr const char* kDeleteEffects = "DELETE FROM reward_effects WHERE account_id = $1";
constexpr const char* kInsertEffects =
    "INSERT INTO reward_effects (account_id, feature, posts, effect, sd, prior_sd, updated_at) "
    "SELECT $1, u.f, u.n, u.e, u.s, u.p, $2 "
    "FROM unnest($3::text[], $4::int[], $5::float8[], $6::float8[], $7::float8[]) "
    "AS u(f, n, e, s, p)";
// The other accounts' rows, when this account and theirs pool.
constexpr const char* kOtherEffects =
    "SELECT e.account_id, e.feature, e.posts, e.effect, e.sd, e.prior_sd "
    "FROM reward_effects e JOIN accounts a ON a.account_id = e.account_id "
    "JOIN accounts me ON me.account_id = $1 "
    "WHERE e.account_id <> $1 AND a.pooling AND me.pooling ORDER BY e.account_id, e.feature";

}  // namespace

long long store_reward_effects(pqxx::transaction_base& t, long long account_id,
                               const learn::RewardModel& model, TimePoint now) {
  t.exec_params0(kDeleteEffects, account_id);
  db::PgArray names, posts, effects, sds, prior_sds;
  for (const std::string& name : model.names()) {
    const learn::FeatureEvidence e = model.evidence(name);
    const double prior_sd = model.prior_sd(name);
    if (e.posts <= 0 || !(e.sd > 0) || !(prior_sd > 0)) continue;
    names.add_text(name);
    posts.add(std::optional<long long>(e.posts));
    effects.add(std::optional<double>(e.effect));
    sds.add(std::optional<double>(e.sd));
    prior_sds.add(std::optional<double>(prior_sd));
  }
  if (names.size() == 0) return 0;
  t.exec_params0(kInsertEffects, account_id, format_iso8601(now), names.str(), posts.str(),
                 effects.str(), sds.str(), prior_sds.str());
  return static_cast<long long>(names.size());
}

learn::PooledPrior load_pooled_prior(pqxx::transaction_base& t, long long account_id) {
  std::vector<learn::AccountEffect> rows;
  for (const auto& r : t.exec_params(kOtherEffects, account_id)) {
    rows.push_back({r[0].as<long long>(), r[1].as<std::string>(), r[2].as<int>(), r[3].as<double>(),
                    r[4].as<double>(), r[5].as<double>()});
  }
  return learn::pool_effects(rows);
}

}  // namespace gl::jobs
