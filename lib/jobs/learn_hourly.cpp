#include "jobs/learn_hourly.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "core/json_lines.h"
#include "db/row_fields.h"
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
// posts, the top 3 of each), over the gated posts with a follower count.
Json follower_drivers(const std::vector<ScopedPost>& posts) {
  struct Sums {
    long long posts = 0, impressions = 0;
    double followers = 0;
  };
  std::map<std::string, std::map<std::string, Sums>> by_dim;
  auto &topic = by_dim["topic"], &generator = by_dim["generator"], &hook = by_dim["hook"],
       &hour = by_dim["hour"];
  for (const auto& p : posts) {
    const auto& fg = p.post.metrics.followers_gained;
    if (!p.gated() || !fg) continue;
    const auto add = [&](std::map<std::string, Sums>& dim, const std::string* key) {
      if (!key) return;
      Sums& s = dim[*key];
      ++s.posts;
      s.impressions += *p.post.metrics.impressions;  // gated: known
      s.followers += *fg;
    };
    add(topic, &p.topic_key);
    add(generator, p.post.generator == kImportedGenerator ? nullptr : &p.post.generator);
    add(hook, p.hook_type ? &*p.hook_type : nullptr);
    const std::string posted_hour = std::to_string(p.post.hour);
    add(hour, &posted_hour);
  }
  Json out = {{"topic", Json::array()},
              {"generator", Json::array()},
              {"hook", Json::array()},
              {"hour", Json::array()}};
  for (const auto& [dim, keys] : by_dim) {
    struct Row {
      std::string key;
      long long posts;
      std::optional<double> per_1000;
    };
    std::vector<Row> rows;
    for (const auto& [key, s] : keys) {
      if (s.posts < 2) continue;
      rows.push_back(
          {key, s.posts,
           s.impressions == 0
               ? std::nullopt
               : std::optional<double>(1000 * s.followers / static_cast<double>(s.impressions))});
    }
    // Highest first, unknown last, then by key.
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      if (a.per_1000.has_value() != b.per_1000.has_value()) return a.per_1000.has_value();
      if (a.per_1000 && *a.per_1000 != *b.per_1000) return *a.per_1000 > *b.per_1000;
      return a.key < b.key;
    });
    for (size_t i = 0; i < rows.size() && i < 3; ++i) {
      if (!rows[i].per_1000) continue;
      out[dim].push_back({{"key", rows[i].key},
                          {"posts", rows[i].posts},
                          {"followers_per_1000_views", *rows[i].per_1000}});
    }
  }
  return out;
}

// The summary of one format's learning: what the evidence ranks, what it
// cannot yet rank, whether the data is current, and what drives follows.
// With `skip_empty`, a format without a gated post gets its gate report only.
Json learning_summary(const FormatRead& read, TimePoint now, bool skip_empty) {
  const std::vector<ScopedPost>& posts = read.posts;
  Json s = read.gates;
  if (skip_empty && s["posts_used"].get<long long>() == 0) return s;
  // How many of the posts learned from are the account's imported past
  // (import-history), the newest of them, and each persona's mean engagement rate.
  long long imported = 0;
  std::optional<TimePoint> newest;
  std::map<std::string, std::pair<double, long long>> er_sums;
  for (const auto& p : posts) {
    if (!p.gated()) continue;
    imported += p.imported;
    if (!newest || p.post.posted_at > *newest) newest = p.post.posted_at;
    if (p.post.engagement_rate && p.post.generator != kImportedGenerator) {
      auto& [sum, n] = er_sums[p.post.generator];
      sum += *p.post.engagement_rate;
      ++n;
    }
  }
  s["posts_used_imported"] = imported;
  std::map<std::string, double> mean_er;
  for (const auto& [generator, sum_n] : er_sums)
    mean_er[generator] = sum_n.first / static_cast<double>(sum_n.second);
  s["evidence_rule"] = {{"min_posts", learn::kMinEvidencePosts},
                        {"interval", learn::kEvidenceLevel},
                        {"half_life_days", learn::BanditConfig{}.half_life_days},
                        {"stale_after_days", kStaleAfterDays}};
  Json ranked = Json::object(), insufficient = Json::object();
  Json top = Json::object(), generators = Json::object();
  std::vector<std::string> families;
  for (const Family& f : kFamilies) families.push_back(f.arms);
  const auto arms = arm_stats_by_family(posts, families);
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
    const TimePoint at = *newest;
    const double days = hours_between(at, now) / 24;
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
  s["follower_drivers"] = follower_drivers(posts);
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
// `single`: the single posts read, whose gated ones tell whether the stored choice holds.
double choose_reward_memory(db::AccountRun& run, bool full, const std::vector<ScopedPost>& single) {
  std::vector<TimePoint> gated;
  for (const auto& p : single)
    if (p.gated()) gated.push_back(p.post.posted_at);
  pqxx::work w(run.conn);
  const double half_life = store_reward_half_life(w, run.account.id, run.now, full, &gated);
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
  // Each format's posts and gate report, read once for every part of the run;
  // the posts without a stored text analysis are analysed and stored first.
  std::map<std::string, FormatRead> read;
  {
    pqxx::read_transaction t(run.conn);
    read = read_scoped_formats(t, run.account.id, run.now);
    // Each stored analysis is read into its post (a decision id is one post's)
    // straight from its row, without a copy of its keys.
    std::unordered_map<std::string_view, ScopedPost*> by_decision;
    for (auto& [format, r] : read)
      for (auto& p : r.posts) by_decision.emplace(p.post.decision_id, &p);
    for (const auto& row : stored_post_text_rows(t, run.account.id)) {
      db::RowFields keys(row);
      const auto it = by_decision.find(keys.text());
      if (it == by_decision.end() || it->second->content_md5 != keys.text()) continue;
      if (auto text = read_post_text_columns(row, kStoredTextFirst)) {
        it->second->post.text = std::move(text->features);
        it->second->post.unavailable_notice = text->unavailable_notice;
      }
    }
  }
  std::vector<UnanalysedPost> unanalysed;
  for (auto& [format, r] : read) {
    for (auto& p : r.posts) {
      if (p.post.text) continue;
      unanalysed.push_back({p.post.decision_id, p.post.content, p.content_md5, &p.post.text,
                            &p.post.unavailable_notice});
    }
  }
  run.stats["texts_analysed"] = store_post_texts(run, unanalysed);
  Json summary = learning_summary(read.at("single"), run.now, /*skip_empty=*/false);
  summary["format"] = "single";
  summary["at"] = format_iso8601(run.now);
  summary["predictor"] = train_predictor(run, "single", options.full, &read.at("single").posts);
  summary["reward_model_half_life_days"] =
      choose_reward_memory(run, options.full, read.at("single").posts);
  Json others = Json::object();
  for (const std::string format : {"thread", "reply"}) {
    Json s = learning_summary(read.at(format), run.now, /*skip_empty=*/true);
    if (s["posts_used"].get<long long>() == 0) continue;
    s["predictor"] = train_predictor(run, format, options.full, &read.at(format).posts);
    others[format] = s;
  }
  if (!others.empty()) summary["other_formats"] = others;
  // Formula confidence follows the newest numbers (the last part to read the posts).
  long long formulas = 0;
  for (const auto& [format, fs] : refresh_formulas(run, std::move(read)))
    formulas += static_cast<long long>(fs.size());
  summary["formulas"] = formulas;
  store_summary(run, summary);
  summary_stats(run, summary);
  emit(summary);
  mark.record({summary});
  return 0;
}

}  // namespace gl::jobs
