#include "jobs/aggregate.h"

#include <memory>

#include "core/json_lines.h"
#include "db/pg_array.h"
#include "jobs/arms.h"
#include "jobs/learner_watermark.h"
#include "jobs/learning_data.h"
#include "jobs/plan_inputs.h"
#include "jobs/pooled_effects.h"
#include "jobs/training.h"
#include "learn/embedding.h"
#include "llm/client.h"

namespace gl::jobs {

namespace {

// The posts of the last 24 hours, per post, generator, topic and local hour:
// one statement, its grouping sets told apart by GROUPING().
Json rollup(db::AccountRun& run) {
  static constexpr const char* kGroups[] = {"per_post", "per_generator", "per_topic", "per_hour"};
  pqxx::read_transaction t(run.conn);
  Json out = Json::object();
  for (const char* group : kGroups) out[group] = Json::array();
  for (const auto& r : t.exec_params(
           "SELECT CASE WHEN GROUPING(cm.tweet_id) = 0 THEN 0 "
           "  WHEN GROUPING(cm.generator_name) = 0 THEN 1 WHEN GROUPING(lower(cm.topic)) = 0 "
           "  THEN 2 ELSE 3 END AS g, "
           "  coalesce(cm.tweet_id::text, cm.generator_name::text, lower(cm.topic)::text, "
           "    extract(hour FROM cm.posted_at AT TIME ZONE a.timezone)::text), "
           "  count(*), sum(o.impressions), sum(o.likes), sum(o.retweets), sum(o.replies), "
           "  sum(o.profile_clicks), sum(o.followers_gained), avg(o.engagement_rate) "
           "FROM content_metadata cm JOIN outcomes o ON o.account_id = cm.account_id "
           "  AND o.decision_id = cm.decision_id "
           "JOIN accounts a ON a.account_id = cm.account_id "
           "WHERE cm.account_id = $1 AND cm.posted_at > $2::timestamptz - interval '24 hours' "
           "  AND cm.posted_at <= $2 "
           "GROUP BY GROUPING SETS ((cm.tweet_id), (cm.generator_name), (lower(cm.topic)), "
           "  (extract(hour FROM cm.posted_at AT TIME ZONE a.timezone))) "
           "ORDER BY 1, 2",
           run.account.id, format_iso8601(run.now))) {
    const auto num = [&](int i) {
      return r[i].is_null() ? Json(nullptr) : Json(r[i].as<double>());
    };
    out[kGroups[r[0].as<int>()]].push_back({{"key", r[1].is_null() ? "" : r[1].as<std::string>()},
                                            {"posts", r[2].as<long long>()},
                                            {"impressions", num(3)},
                                            {"likes", num(4)},
                                            {"retweets", num(5)},
                                            {"replies", num(6)},
                                            {"profile_clicks", num(7)},
                                            {"followers_gained", num(8)},
                                            {"engagement_rate", num(9)}});
  }
  return out;
}

// Stores decayed arm statistics and posteriors for every family and format,
// summed in C++ over one lean read of the account's posts (read_scoped_formats,
// what the arms need): the arms arm_stats_by_family's statement gives, within
// rounding (tests/db/aggregate_arms_test.cpp), without its per-format statement
// (70-108 ms of the run at 10,000 posts).
Json update_bandit_arms(db::AccountRun& run) {
  const std::string now_text = format_iso8601(run.now);
  Json counts = Json::object();
  pqxx::work w(run.conn);
  const std::vector<std::string> families(std::begin(kBanditFamilies), std::end(kBanditFamilies));
  const auto read = read_scoped_formats(w, run.account.id, run.now, ScopedRead::kArms);
  for (const std::string format : kFormats) {
    const auto by_family = arm_stats_by_family(read.at(format).posts, families);
    for (const std::string family : kBanditFamilies) {
      const auto& arms = by_family.at(family);
      if (!run.ctx.common.dry_run) {
        w.exec_params0(
            "DELETE FROM bandit_arms WHERE account_id = $1 AND format = $2 AND family = $3",
            run.account.id, format, family);
      }
      if (arms.empty()) continue;
      const auto post = learn::arm_posteriors(arms);
      counts[format][family] = arms.size();
      if (run.ctx.common.dry_run) continue;
      std::vector<db::PgArray> cols(7);
      for (const auto& a : arms) {
        const auto& p = post.by_key.at(a.key);
        cols[0].add_text(a.key);
        cols[1].add(std::optional<long long>(a.pulls));
        cols[2].add(std::optional<double>(a.weight));
        cols[3].add(std::optional<double>(a.reward_sum));
        cols[4].add(std::optional<double>(a.reward_sq_sum));
        cols[5].add(std::optional<double>(p.mean));
        cols[6].add(std::optional<double>(p.sd));
      }
      w.exec_params0(
          "INSERT INTO bandit_arms (account_id, family, format, arm_key, pulls, weight, "
          "reward_sum, reward_sq_sum, "
          "  posterior_mean, posterior_sd, updated_at) "
          "SELECT $1, $2, $3, u.k, u.p, u.w, u.s, u.ss, u.m, u.sd, $4 FROM unnest($5::text[], "
          "$6::int[], "
          "  $7::float8[], $8::float8[], $9::float8[], $10::float8[], $11::float8[]) AS u(k, p, w, "
          "s, ss, m, sd)",
          run.account.id, family, format, now_text, cols[0].str(), cols[1].str(), cols[2].str(),
          cols[3].str(), cols[4].str(), cols[5].str(), cols[6].str());
    }
  }
  w.commit();
  return counts;
}

// The account's reward posterior per feature, fitted on its own posts only,
// for the other accounts' pooled prior (jobs/pooled_effects.h), when it pools;
// returns how many features.
long long update_reward_effects(db::AccountRun& run) {
  pqxx::work w(run.conn);
  const learn::RewardModel model = fit_reward_model(w, run.account.id, run.now);
  const long long stored = store_reward_effects(w, run.account.id, model, run.now);
  if (!run.ctx.common.dry_run) w.commit();
  return stored;
}

// Embeds posts without an embedding (local by default, /v1/embeddings when
// LLM_BASE_URL is set); returns how many.
long long embed_new_posts(db::AccountRun& run) {
  std::vector<std::pair<std::string, std::string>> posts;  // decision id, text
  {
    pqxx::read_transaction t(run.conn);
    for (const auto& r : t.exec_params("SELECT cm.decision_id::text, cm.content FROM "
                                       "content_metadata cm WHERE cm.account_id = $1 "
                                       "AND cm.status IN ('queued', 'posting', 'posted') AND NOT "
                                       "EXISTS (SELECT 1 FROM content_embeddings e "
                                       "WHERE e.account_id = cm.account_id AND e.decision_id = "
                                       "cm.decision_id) ORDER BY cm.created_at LIMIT 2000",
                                       run.account.id)) {
      posts.emplace_back(r[0].as<std::string>(), r[1].as<std::string>());
    }
  }
  if (posts.empty() || run.ctx.common.dry_run) return static_cast<long long>(posts.size());
  std::vector<std::vector<float>> vectors;
  std::string model = "local-hash-256";
  if (const auto config = llm::llm_config_from_env(false)) {
    llm::LlmClient client(*config, run.ctx.log);
    std::vector<std::string> texts;
    for (const auto& p : posts) texts.push_back(p.second);
    vectors = client.embed(texts);
    model = config->embedding_model.empty() ? "remote" : config->embedding_model;
  } else {
    for (const auto& p : posts) vectors.push_back(learn::local_embedding(p.second));
  }
  // One statement: each vector as the text of a real[] literal, cast in SQL.
  db::PgArray ids, dims, literals;
  for (size_t i = 0; i < posts.size(); ++i) {
    db::PgArray v;
    for (float x : vectors[i]) v.add(std::optional<double>(x));
    ids.add_text(posts[i].first);
    dims.add(std::optional<long long>(static_cast<long long>(vectors[i].size())));
    literals.add_text(v.str());
  }
  pqxx::work w(run.conn);
  w.exec_params0(
      "INSERT INTO content_embeddings (account_id, decision_id, model, dims, embedding, "
      "created_at) "
      "SELECT $1, u.d::uuid, $2, u.n, u.e::real[], $3 FROM unnest($4::text[], $5::int[], "
      "$6::text[]) AS u(d, n, e) ON CONFLICT DO NOTHING",
      run.account.id, model, format_iso8601(run.now), ids.str(), dims.str(), literals.str());
  w.commit();
  return static_cast<long long>(posts.size());
}

}  // namespace

int aggregate(db::AccountRun& run, const AggregateOptions& options) {
  LearnerWatermark mark(run, options.full, MovingWindow::kRollup24Hours);
  if (mark.unchanged()) {
    for (const Json& j : mark.previous_output()) emit(j);
    return 0;
  }
  Json out = {{"at", format_iso8601(run.now)}};
  out["rollup_24h"] = rollup(run);
  out["bandit_arms"] = update_bandit_arms(run);
  if (run.account.pooling) out["reward_effects"] = update_reward_effects(run);
  out["embedded"] = embed_new_posts(run);
  Json retrained = Json::array();
  for (const std::string format : kFormats) {
    const long long fresh = new_gated_posts_since_training(run, format);
    if (fresh >= kRetrainAfterNewPosts) {
      Json r = train_predictor(run, format, options.full);
      r["new_posts"] = fresh;
      retrained.push_back(r);
    }
  }
  out["retrained"] = retrained;
  run.stats["bandit_arms"] = out["bandit_arms"];
  run.stats["embedded"] = out["embedded"];
  if (run.account.pooling) run.stats["reward_effects"] = out["reward_effects"];
  run.stats["retrained"] = retrained.size();
  emit(out);
  mark.record({out});
  return 0;
}

}  // namespace gl::jobs
