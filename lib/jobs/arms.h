// Per-arm reward statistics, aggregated in SQL over the gated posts of a
// format: the sufficient statistics the bandits and the summaries share.
#pragma once

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "jobs/learning_data.h"
#include "jobs/learning_sql.h"
#include "learn/bandit.h"

namespace gl::jobs {

// family: topic, hour, tag, generator, formula (the bandit families), hook, or
// slot ("weekday-hour", local: the report's heatmap).
// With decay, each post weighs 0.5^(age / half-life); without, 1.
std::vector<learn::BanditArm> arm_stats(pqxx::transaction_base& t, const LearningScope& scope,
                                        const std::string& family, bool decay,
                                        const learn::BanditConfig& config = {});

// arm_stats of several families in one pass over the posts, by family (each
// present, empty when no post has a key of it).
std::map<std::string, std::vector<learn::BanditArm>> arm_stats_by_family(
    pqxx::transaction_base& t, const LearningScope& scope, const std::vector<std::string>& families,
    bool decay, const learn::BanditConfig& config = {});

// The same over posts already read (learning_data.h: read_scoped_posts), for
// the families topic, hour, hook, generator, formula and tag (the posts read
// with their tags), decayed by the posts' weight; the sums run over the posts
// in their order.
std::map<std::string, std::vector<learn::BanditArm>> arm_stats_by_family(
    const std::vector<ScopedPost>& posts, const std::vector<std::string>& families);

// A post's decay weight, 0.5^(age / half-life), over the row `lp` at scope.now.
std::string decay_weight_sql(const learn::BanditConfig& config = {});

// Reads the stored arms of a family (what plan-post samples from).
std::vector<learn::BanditArm> stored_arms(pqxx::transaction_base& t, long long account_id,
                                          const std::string& format, const std::string& family);

struct RankedArm {
  std::string key;
  long long posts = 0;
  double mean_reward = 0;  // posterior mean, shrunk toward the account's mean
  double confidence = 0;   // P(beats the account's mean reward)
};

// Arms ranked by posterior mean, best first.
std::vector<RankedArm> rank_arms(const std::vector<learn::BanditArm>& arms);

}  // namespace gl::jobs
