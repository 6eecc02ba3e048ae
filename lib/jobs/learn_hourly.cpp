#include "jobs/learn_hourly.h"

#include <algorithm>

#include "core/json_lines.h"
#include "db/connection.h"
#include "jobs/arms.h"
#include "jobs/extract_formulas.h"
#include "jobs/learner_watermark.h"
#include "jobs/learning_data.h"
#include "jobs/plan_inputs.h"
#include "jobs/post_text.h"
#include "jobs/training.h"
#include "learn/bandit.h"
#include "learn/stats.h"

namespace gl::jobs {

namespace {

// The choices the summary ranks: arm family (arms.h) and its name in the summary.
struct Family {
  const char* arms;
  const char* name;
};
constexpr Family kFamilies[] = {{"topic", "topic"},
                                {"hour", "hour"},
                                {"hook", "hook"},
                                {"generator", "persona"},
                                {"formula", "formula"}};

struct Entry {
  Json json;
  learn::Evidence evidence;
  std::string key;
};

// Every item of a family with its evidence: posts, effect on the reward
// against the mean of the account's posts, interval and confidence.
std::vector<Entry> family_evidence(const std::vector<learn::BanditArm>& arms, const Family& family,
                                   double& account_mean) {
  const auto post = learn::arm_posteriors(arms);
  account_mean = post.prior_mean;
  std::vector<Entry> out;
  for (const auto& a : arms) {
    const learn::NormalPosterior& p = post.by_key.at(a.key);
    const learn::Evidence e = learn::evidence_of(p, a.pulls, post.prior_mean);
    const Json key = std::string(family.name) == "hour" ? Json(std::stoi(a.key)) : Json(a.key);
    out.push_back({{{"key", key},
                    {"posts", a.pulls},
                    {"weight", a.weight},
                    {"mean_reward", p.mean},
                    {"effect", e.effect},
                    {"interval", {e.low, e.high}},
                    {"confidence", e.confidence}},
                   e,
                   a.key});
  }
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    return a.evidence.effect != b.evidence.effect ? a.evidence.effect > b.evidence.effect
                                                  : a.key < b.key;
  });
  return out;
}

// Followers gained per 1000 views by each dimension, best first (at least 2
// posts, the top 3 of each), in one pass over the posts.
Json follower_drivers(pqxx::transaction_base& t, const LearningScope& scope) {
  Json out = {{"topic", Json::array()},
              {"generator", Json::array()},
              {"hook", Json::array()},
              {"hour", Json::array()}};
  for (const auto& r : LearningQuery(scope).exec(
           t,
           "SELECT dim, key, posts, per_1000 FROM ("
           "  SELECT f.dim, f.key, count(*) AS posts, "
           "    1000 * sum(lp.followers_gained) / nullif(sum(lp.impressions), 0) AS per_1000, "
           "    row_number() OVER (PARTITION BY f.dim ORDER BY 1000 * sum(lp.followers_gained) / "
           "      nullif(sum(lp.impressions), 0) DESC NULLS LAST, f.key) AS place "
           "  FROM gated lp CROSS JOIN LATERAL (VALUES ('topic', lower(lp.topic)::text), "
           "    ('generator', " +
               persona_sql("lp") +
               "::text), ('hook', lp.hook_type::text), "
               "    ('hour', lp.posted_hour_local::text)) AS f(dim, key) "
               "  WHERE lp.followers_gained IS NOT NULL AND f.key IS NOT NULL "
               "  GROUP BY 1, 2 HAVING count(*) >= 2) s "
               "WHERE place <= 3 ORDER BY dim, place")) {
    if (r[3].is_null()) continue;
    out[r[0].as<std::string>()].push_back({{"key", r[1].as<std::string>()},
                                           {"posts", r[2].as<long long>()},
                                           {"followers_per_1000_views", r[3].as<double>()}});
  }
  return out;
}

// The summary of one format's learning: what the evidence ranks, what it
// cannot yet rank, whether the data is current, and what drives follows.
// With `skip_empty`, a format without a gated post gets its gate report only.
Json learning_summary(db::AccountRun& run, const std::string& format, bool skip_empty) {
  const LearningScope scope{run.account.id, run.now, format};
  pqxx::read_transaction t(run.conn);
  Json s = gate_report(t, scope);
  if (skip_empty && s["posts_used"].get<long long>() == 0) return s;
  // In one pass over the gated posts: how many are the account's imported past
  // (import-history), the newest one, and each persona's mean engagement rate.
  std::map<std::string, double> mean_er;
  std::optional<double> newest;
  for (const auto& r : LearningQuery(scope).exec(
           t,
           "SELECT grouping(lp.generator_name) = 1, lp.generator_name, "
           "  count(*) FILTER (WHERE lp.source = 'imported'), "
           "  extract(epoch FROM max(lp.posted_at))::float8, "
           "  avg(lp.engagement_rate) FILTER (WHERE lp.engagement_rate IS NOT NULL AND " +
               persona_sql("lp") +
               " IS NOT NULL) "
               "FROM gated lp GROUP BY GROUPING SETS ((), (lp.generator_name))")) {
    if (r[0].as<bool>()) {
      s["posts_used_imported"] = r[2].as<long long>();
      newest = db::optional_double(r[3]);
    } else if (!r[4].is_null()) {
      mean_er[r[1].as<std::string>()] = r[4].as<double>();
    }
  }
  s["evidence_rule"] = {{"min_posts", learn::kMinEvidencePosts},
                        {"interval", learn::kEvidenceLevel},
                        {"half_life_days", learn::BanditConfig{}.half_life_days},
                        {"stale_after_days", kStaleAfterDays}};
  Json ranked = Json::object(), insufficient = Json::object();
  Json top = Json::object(), generators = Json::object();
  std::vector<std::string> families;
  for (const Family& f : kFamilies) families.push_back(f.arms);
  const auto arms = arm_stats_by_family(t, scope, families, /*decay=*/true);
  for (const Family& f : kFamilies) {
    double account_mean = 0;
    ranked[f.name] = Json::array();
    insufficient[f.name] = Json::array();
    top[f.name] = Json::array();
    for (auto& e : family_evidence(arms.at(f.arms), f, account_mean)) {
      if (std::string(f.name) == "persona" && mean_er.count(e.key))
        e.json["mean_engagement_rate"] = mean_er.at(e.key);
      // Every persona with gated posts, each saying whether its evidence ranks it.
      if (std::string(f.name) == "persona") {
        generators[e.key] = e.json;
        generators[e.key]["ranked"] = e.evidence.sufficient;
      }
      if (!e.evidence.sufficient) {
        insufficient[f.name].push_back(e.json);
        continue;
      }
      ranked[f.name].push_back(e.json);
      if (e.evidence.effect > 0 && top[f.name].size() < 3) top[f.name].push_back(e.json["key"]);
    }
    // Without gated posts there is no mean to give, not a mean of 0.
    if (std::string(f.name) == "topic")
      s["account_mean_reward"] = arms.at(f.arms).empty() ? Json() : Json(account_mean);
  }
  // The least evidence first within what is not ranked: the reader sees why.
  for (auto& [family, entries] : insufficient.items()) {
    std::stable_sort(entries.begin(), entries.end(), [](const Json& a, const Json& b) {
      return a["posts"].get<long long>() > b["posts"].get<long long>();
    });
  }

  s["newest_gated_post"] = Json(nullptr);
  bool stale = false;
  if (newest) {
    const TimePoint at = from_epoch_seconds(*newest);
    const double days = hours_between(at, run.now) / 24;
    s["newest_gated_post"] = format_iso8601(at);
    if (days > kStaleAfterDays) {
      stale = true;
      s["stale_data"] = {{"newest_post", format_iso8601(at)},
                         {"days_since_newest_post", days},
                         {"ranked_then", ranked}};
    }
  }
  // Old rankings are not presented as current: they move under stale_data.
  if (stale) {
    for (auto& [family, entries] : ranked.items()) {
      entries = Json::array();
      top[family] = Json::array();
    }
    generators = Json::object();
  }
  s["top_performing_topics"] = top["topic"];
  s["best_posting_hours"] = top["hour"];
  s["effective_hooks"] = top["hook"];
  s["generator_performance"] = generators;
  s["ranked"] = ranked;
  s["insufficient_evidence"] = insufficient;
  s["follower_drivers"] = follower_drivers(t, scope);
  return s;
}

}  // namespace

namespace {

void store_summary(db::AccountRun& run, const Json& summary) {
  if (run.ctx.common.dry_run) return;
  pqxx::work w(run.conn);
  w.exec_params0(
      "INSERT INTO learning_summaries (account_id, created_at, summary) VALUES ($1, $2, "
      "$3::jsonb)",
      run.account.id, format_iso8601(run.now), summary.dump());
  w.commit();
}

// The reward model's half-life, chosen on the newest posts for the plans of the
// next hours (jobs/plan_inputs.h; --full chooses it again; a dry run stores nothing).
double choose_reward_memory(db::AccountRun& run, bool full) {
  pqxx::work w(run.conn);
  const double half_life = store_reward_half_life(w, run.account.id, run.now, full);
  if (!run.ctx.common.dry_run) w.commit();
  return half_life;
}

void summary_stats(db::AccountRun& run, const Json& summary) {
  run.stats["posts_used"] = summary["posts_used"];
  run.stats["posts_skipped"] = summary["posts_skipped"];
  run.stats["predictor_trained"] = summary["predictor"].value("trained", false);
}

}  // namespace

int learn_hourly(db::AccountRun& run, const LearnHourlyOptions& options) {
  LearnerWatermark mark(run, options.full);
  if (mark.unchanged()) {
    for (Json summary : mark.previous_output()) {
      summary["at"] = format_iso8601(run.now);
      store_summary(run, summary);
      summary_stats(run, summary);
      emit(summary);
    }
    return 0;
  }
  run.stats["texts_analysed"] = store_post_texts(run);
  // Each format's gate report, read once for the summaries and the formulas.
  std::map<std::string, Json> gates;
  const auto keep_gates = [&gates](const std::string& format, const Json& s) {
    gates[format] = {{"posts_used", s["posts_used"]}, {"posts_skipped", s["posts_skipped"]}};
  };
  Json summary = learning_summary(run, "single", /*skip_empty=*/false);
  keep_gates("single", summary);
  summary["format"] = "single";
  summary["at"] = format_iso8601(run.now);
  summary["predictor"] = train_predictor(run, "single", options.full);
  summary["reward_model_half_life_days"] = choose_reward_memory(run, options.full);
  Json others = Json::object();
  for (const std::string format : {"thread", "reply"}) {
    Json s = learning_summary(run, format, /*skip_empty=*/true);
    keep_gates(format, s);
    if (s["posts_used"].get<long long>() == 0) continue;
    s["predictor"] = train_predictor(run, format, options.full);
    others[format] = s;
  }
  if (!others.empty()) summary["other_formats"] = others;
  // Formula confidence follows the newest numbers.
  long long formulas = 0;
  for (const auto& [format, fs] : refresh_formulas(run, gates))
    formulas += static_cast<long long>(fs.size());
  summary["formulas"] = formulas;
  store_summary(run, summary);
  summary_stats(run, summary);
  emit(summary);
  mark.record({summary});
  return 0;
}

}  // namespace gl::jobs
