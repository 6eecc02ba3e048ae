#include "jobs/arms.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"

namespace gl::jobs {

namespace {

std::string key_sql(const std::string& family) {
  if (family == "topic") return "lower(lp.topic)";
  if (family == "hour") return "lp.posted_hour_local::text";
  // The report's weekday x hour heatmap: "weekday-hour", local.
  if (family == "slot") return "lp.posted_weekday_local || '-' || lp.posted_hour_local";
  // The imported past has no persona arm; its posts count for every other family.
  if (family == "generator") return persona_sql("lp");
  if (family == "formula") return "lp.formula_name";
  if (family == "hook") return "lp.hook_type";
  if (family == "tag") {
    return "(SELECT string_agg(tag, '+' ORDER BY tag) FROM unnest(lp.tags) AS tag)";
  }
  throw failure(
      "arm family",
      "\"" + family + "\" is not one of topic, hour, slot, generator, formula, hook, tag");
}

// A post's key in a family, as key_sql gives it; none (nullptr) where key_sql
// is NULL. The keys made for a post (hour, tags) are made in `made`.
const std::string* key_of(const ScopedPost& p, const std::string& family, std::string& made) {
  if (family == "topic") return &p.topic_key;
  if (family == "hour") return &(made = std::to_string(p.post.hour));
  if (family == "generator") {
    if (p.post.generator == kImportedGenerator) return nullptr;
    return &p.post.generator;
  }
  if (family == "formula") return p.formula_name ? &*p.formula_name : nullptr;
  if (family == "hook") return p.hook_type ? &*p.hook_type : nullptr;
  if (family == "tag") {
    // string_agg(tag, '+' ORDER BY tag): the tags in byte order (the database's
    // collation is C.UTF-8, scripts/db), none when the post has none.
    if (p.post.tags.empty()) return nullptr;
    std::vector<std::string> tags = p.post.tags;
    std::sort(tags.begin(), tags.end());
    made.clear();
    for (size_t i = 0; i < tags.size(); ++i) made += (i ? "+" : "") + tags[i];
    return &made;
  }
  throw failure("arm family",
                "\"" + family + "\" is not one of topic, hour, generator, formula, hook, tag");
}

}  // namespace

std::string decay_weight_sql(const learn::BanditConfig& config) {
  // In float8, as learn::decay_weight computes it: extract() gives numeric, and
  // numeric power() was most of each statement (0.5 of 0.7 s at 10,000 posts).
  // Past 1,000 half-lives the weight is 0, as a double's exp() gives it: float8
  // power() raises an underflow error instead (a post dated 1979, a --now in 2199).
  const std::string half_lives = fmt::format(
      "greatest(0, extract(epoch FROM scope.now - lp.posted_at)::float8) / 86400.0 / {}",
      config.half_life_days);
  return fmt::format("CASE WHEN {0} > 1000 THEN 0 ELSE power(0.5::float8, {0}) END", half_lives);
}

std::map<std::string, std::vector<learn::BanditArm>> arm_stats_by_family(
    const std::vector<ScopedPost>& posts, const std::vector<std::string>& families) {
  std::map<std::string, std::map<std::string, learn::BanditArm>> sums;
  // Each family's arms looked up once, not once per post.
  std::vector<std::pair<const std::string*, std::map<std::string, learn::BanditArm>*>> arms_of;
  for (const auto& family : families) arms_of.emplace_back(&family, &sums[family]);
  std::string made;
  for (const auto& p : posts) {
    if (!p.gated()) continue;
    const double w = p.weight, r = p.post.reward;
    for (const auto& [family, arms] : arms_of) {
      const std::string* key = key_of(p, *family, made);
      if (!key || key->empty()) continue;
      auto at = arms->find(*key);
      if (at == arms->end()) at = arms->emplace(*key, learn::BanditArm{*key}).first;
      learn::BanditArm& a = at->second;
      ++a.pulls;
      a.weight += w;
      a.reward_sum += w * r;
      a.reward_sq_sum += w * r * r;
    }
  }
  // By key, in byte order.
  std::map<std::string, std::vector<learn::BanditArm>> out;
  for (auto& [family, arms] : sums) {
    auto& list = out[family];
    for (auto& [key, a] : arms) list.push_back(std::move(a));
  }
  return out;
}

std::map<std::string, std::vector<learn::BanditArm>> arm_stats_by_family(
    pqxx::transaction_base& t, const LearningScope& scope, const std::vector<std::string>& families,
    bool decay, const learn::BanditConfig& config) {
  const std::string weight = decay ? decay_weight_sql(config) : "1.0";
  // One pass over the posts for every family: each post gives one row per
  // family. OFFSET 0 computes each post's weight and reward once, not once per
  // family (the planner would otherwise flatten the subquery into the join).
  std::string keys;
  for (const auto& family : families) {
    keys += fmt::format("{}({}, {})", keys.empty() ? "" : ", ", t.quote(family), key_sql(family));
  }
  const std::string select = fmt::format(
      "SELECT f.family, f.key, count(*), sum(lp.w), sum(lp.w * lp.reward), "
      "  sum(lp.w * lp.reward * lp.reward) "
      "FROM (SELECT lp.*, {1} AS w FROM scored lp, scope OFFSET 0) lp "
      "CROSS JOIN LATERAL (VALUES {0}) AS f(family, key) "
      "WHERE f.key IS NOT NULL AND f.key <> '' GROUP BY 1, 2 ORDER BY 1, 2",
      keys, weight);
  std::map<std::string, std::vector<learn::BanditArm>> out;
  for (const auto& family : families) out[family];
  for (const auto& r : LearningQuery(scope).exec(t, select)) {
    out[r[0].as<std::string>()].push_back({r[1].as<std::string>(), r[2].as<long long>(),
                                           r[3].as<double>(), r[4].as<double>(),
                                           r[5].as<double>()});
  }
  return out;
}

std::vector<learn::BanditArm> arm_stats(pqxx::transaction_base& t, const LearningScope& scope,
                                        const std::string& family, bool decay,
                                        const learn::BanditConfig& config) {
  return arm_stats_by_family(t, scope, {family}, decay, config).at(family);
}

std::vector<learn::BanditArm> stored_arms(pqxx::transaction_base& t, long long account_id,
                                          const std::string& format, const std::string& family) {
  std::vector<learn::BanditArm> out;
  for (const auto& r :
       t.exec_params("SELECT arm_key, pulls, weight, reward_sum, reward_sq_sum FROM bandit_arms "
                     "WHERE account_id = $1 AND format = $2 AND family = $3 ORDER BY arm_key",
                     account_id, format, family)) {
    out.push_back({r[0].as<std::string>(), r[1].as<long long>(), r[2].as<double>(),
                   r[3].as<double>(), r[4].as<double>()});
  }
  return out;
}

std::vector<RankedArm> rank_arms(const std::vector<learn::BanditArm>& arms) {
  const auto post = learn::arm_posteriors(arms);
  std::vector<RankedArm> out;
  for (const auto& a : arms) {
    const auto& p = post.by_key.at(a.key);
    out.push_back({a.key, a.pulls, p.mean, learn::prob_above(p, post.prior_mean)});
  }
  std::sort(out.begin(), out.end(), [](const RankedArm& a, const RankedArm& b) {
    return a.mean_reward != b.mean_reward ? a.mean_reward > b.mean_reward : a.key < b.key;
  });
  return out;
}

}  // namespace gl::jobs
