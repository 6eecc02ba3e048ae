#include "jobs/plan_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

#include "core/error.h"
#include "jobs/arms.h"
#include "jobs/learning_sql.h"
#include "jobs/pooled_effects.h"
#include "jobs/post_text.h"
#include "jobs/x_session.h"
#include "learn/reward_model.h"
#include "learn/rules.h"
#include "learn/text_features.h"

namespace gl::jobs {

namespace {

constexpr const char* kTrending =
    "SELECT lower(topic), max(score), min(topic) FROM trending_topics WHERE account_id = $1 "
    "AND observed_at <= $2 AND observed_at > $2::timestamptz - interval '48 hours' "
    "AND (expires_at IS NULL OR expires_at > $2) GROUP BY 1 ORDER BY 2 DESC, 1";
constexpr const char* kPersonas =
    "SELECT generator_name, description, prompt_style FROM generators WHERE enabled ORDER BY 1";
constexpr const char* kFormulas =
    "SELECT formula_key, name, structure, example, hook_type, confidence, generators "
    "FROM viral_formulas WHERE account_id = $1 AND format = 'single' ORDER BY formula_key";
constexpr const char* kRecent =
    "SELECT cm.content, e.embedding FROM content_metadata cm LEFT JOIN content_embeddings e "
    "ON e.account_id = cm.account_id AND e.decision_id = cm.decision_id "
    "AND e.model = 'local-hash-256' "
    "WHERE cm.account_id = $1 AND cm.status IN ('queued', 'posting', 'posted') "
    "ORDER BY cm.created_at DESC LIMIT 60";
constexpr const char* kBestRecent =
    "SELECT lp.content FROM learning_posts lp WHERE lp.account_id = $1 AND lp.passed_gates "
    "ORDER BY lp.engagement_rate DESC NULLS LAST LIMIT 3";
// Posts as uses_of reads them: when, the topic, the content and the stored hook
// where a learner has analysed the post (jobs/post_text.h), of the posts `where`.
std::string uses_sql(const std::string& where) {
  return "SELECT extract(epoch FROM coalesce(cm.posted_at, cm.scheduled_at))::float8, "
         "lower(cm.topic), cm.content, ptf.hook_type FROM content_metadata cm " +
         post_text_join("cm") + " WHERE cm.account_id = $1 AND " + where;
}
// The posts queued or posted around now.
std::string scheduled_sql() {
  return uses_sql(
      "cm.status IN ('queued', 'posting', 'posted') "
      "AND coalesce(cm.posted_at, cm.scheduled_at) > $2::timestamptz - interval '3 days'");
}
// The account's posts of the recent past (older posts weigh almost nothing)
// from `since` on, as uses_sql reads them, for the repetition features of the
// posts the reward model learns from (a relation of LearningQuery: scope.now).
std::string past_uses_sql(const std::string& since) {
  return "SELECT cm.account_id, cm.decision_id, cm.content, lower(cm.topic) AS topic, "
         "  coalesce(cm.posted_at, cm.scheduled_at) AS at FROM content_metadata cm, scope "
         "WHERE cm.account_id = scope.account_id AND cm.status IN ('posting', 'posted') "
         "AND coalesce(cm.posted_at, cm.scheduled_at) <= scope.now "
         "AND coalesce(cm.posted_at, cm.scheduled_at) > scope.now - interval '120 days' "
         "AND coalesce(cm.posted_at, cm.scheduled_at) >= " +
         since;
}

float parse_float(const std::string& v, const char* what) {
  try {
    return std::stof(v);
  } catch (const std::exception&) {
    throw failure(what, "\"" + v + "\" is not a number");
  }
}

using Uses = std::map<std::string, std::vector<TimePoint>>;

// A post's use of its topic and its hook at `at`: the stored hook where a
// learner analysed the post (`hook`, not null), else its content's.
void add_use(std::pair<Uses, Uses>& uses, TimePoint at, const pqxx::field& topic,
             const pqxx::field& content, const pqxx::field& hook) {
  uses.first[topic.as<std::string>()].push_back(at);
  const std::string h =
      hook.is_null()
          ? std::string(learn::hook_name(learn::analyze_text(content.as<std::string>()).hook))
          : hook.as<std::string>();
  uses.second[h].push_back(at);
}

// When each topic and each hook was posted: (topic uses, hook uses), of uses_sql's rows.
std::pair<Uses, Uses> uses_of(const pqxx::result& rows) {
  std::pair<Uses, Uses> out;
  for (const auto& r : rows) add_use(out, from_epoch_seconds(r[0].as<double>()), r[1], r[2], r[3]);
  return out;
}

const std::vector<TimePoint>& uses_at(const Uses& uses, const std::string& key) {
  static const std::vector<TimePoint> kNone;
  const auto it = uses.find(key);
  return it == uses.end() ? kNone : it->second;
}

// The posts the reward model fits on, each with only what it is fitted on.
constexpr int kFittedPosts = 2000;
struct FittedPost {
  std::string topic, generator;
  int hour = 0;
  TimePoint posted_at;
  double reward = 0;
  double age_at_collection_hours = 0;
  learn::TextFeatures text;
};

// What the fit reads, in one statement: the newest gated posts, oldest first,
// as load_gated_posts reads them but without the columns the fit does not read;
// and the uses of topics and hooks their repetition windows can see (with an
// hour's margin: sorted_repetition_features draws each window's exact edge). Most posts
// are both, and their stored analysis is looked up once.
struct FitInputs {
  std::vector<FittedPost> posts;
  std::pair<Uses, Uses> uses;  // (topic uses, hook uses)
};

FitInputs load_fit_inputs(pqxx::transaction_base& t, const LearningScope& scope) {
  LearningQuery q(scope);
  q.define("fitted", "SELECT * FROM scored lp ORDER BY lp.posted_at DESC, lp.tweet_id DESC LIMIT " +
                         q.bind(kFittedPosts));
  q.define("past",
           past_uses_sql(fmt::format("coalesce((SELECT min(posted_at) FROM fitted), scope.now) - "
                                     "make_interval(hours => {})",
                                     static_cast<int>(learn::kRepetitionWindowHours) + 1)));
  const auto rows =
      q.exec(t,
             "SELECT f.topic, f.generator_name, f.posted_hour_local, "
             "  extract(epoch FROM f.posted_at)::float8, f.reward, "
             "  extract(epoch FROM f.collected_at - f.posted_at)::float8 / 3600, "
             "  extract(epoch FROM p.at)::float8, p.topic, x.content, " +
                 post_text_columns() +
                 " FROM fitted f FULL JOIN past p ON p.decision_id = f.decision_id AND p.content = "
                 "f.content "
                 "CROSS JOIN LATERAL (SELECT coalesce(f.account_id, p.account_id) AS account_id, "
                 "  coalesce(f.decision_id, p.decision_id) AS decision_id, "
                 "  coalesce(f.content, p.content) AS content) x " +
                 post_text_join("x") + " ORDER BY 4, f.tweet_id");
  FitInputs out;
  for (const auto& r : rows) {
    if (!r[6].is_null()) add_use(out.uses, from_epoch_seconds(r[6].as<double>()), r[7], r[8], r[9]);
    if (r[0].is_null()) continue;
    FittedPost p;
    p.topic = r[0].as<std::string>();
    p.generator = r[1].as<std::string>();
    p.hour = r[2].as<int>();
    p.posted_at = from_epoch_seconds(r[3].as<double>());
    p.reward = r[4].as<double>();
    p.age_at_collection_hours = r[5].as<double>();
    const auto stored = read_post_text_columns(r, 9);
    p.text = stored ? stored->features : learn::analyze_text(r[8].as<std::string>());
    out.posts.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::vector<learn::AgedSample> reward_samples(pqxx::transaction_base& t, long long id,
                                              TimePoint now) {
  FitInputs in = load_fit_inputs(t, {id, now, "single"});
  const std::vector<FittedPost>& gated = in.posts;
  auto& [topic_uses, hook_uses] = in.uses;
  for (Uses* uses : {&topic_uses, &hook_uses}) {
    for (auto& [key, times] : *uses) std::sort(times.begin(), times.end());
  }
  std::vector<learn::AgedSample> samples;
  for (const auto& p : gated) {
    const std::string topic = learn::lower_unicode(p.topic);
    const std::string hook = learn::hook_name(p.text.hook);
    learn::FeatureMap x = learn::choice_features(topic, hook, p.generator, p.hour);
    for (const auto& [k, v] : learn::maturity_features(p.age_at_collection_hours)) x[k] = v;
    for (const auto& [k, v] : learn::wording_features(p.text)) x[k] = v;
    for (const auto& [k, v] : learn::sorted_repetition_features(
             p.posted_at, uses_at(topic_uses, topic), uses_at(hook_uses, hook)))
      x[k] = v;
    samples.push_back({std::move(x), p.reward, hours_between(p.posted_at, now) / 24.0});
  }
  return samples;
}

namespace {

// The fit's samples: how many, and how many are younger than a given number of days.
using SampleCounts = std::function<std::pair<int, int>(double days)>;

// The half-life reward_memory holds for the account, while learn::half_life_current
// says so of the fit's samples.
std::optional<double> current_half_life(pqxx::transaction_base& t, long long id, TimePoint now,
                                        const SampleCounts& counts) {
  const auto stored = t.exec_params(
      "SELECT half_life_days, posts, extract(epoch FROM $2::timestamptz - chosen_at)::float8 / "
      "86400 FROM reward_memory WHERE account_id = $1",
      id, format_iso8601(now));
  if (stored.empty()) return std::nullopt;
  const double days_since = stored[0][2].as<double>();
  const auto [samples, fresh] = counts(days_since);
  if (!learn::half_life_current(stored[0][1].as<int>(), samples, fresh, days_since))
    return std::nullopt;
  return stored[0][0].as<double>();
}

}  // namespace

double reward_half_life(pqxx::transaction_base& t, long long id, TimePoint now,
                        const std::vector<learn::AgedSample>& samples) {
  const auto counts = [&](double days) {
    const auto fresh = std::count_if(samples.begin(), samples.end(),
                                     [&](const auto& s) { return s.age_days < days; });
    return std::pair(static_cast<int>(samples.size()), static_cast<int>(fresh));
  };
  if (const auto stored = current_half_life(t, id, now, counts)) return *stored;
  return learn::choose_half_life(samples);
}

double store_reward_half_life(pqxx::transaction_base& t, long long id, TimePoint now,
                              bool choose_again, const std::vector<TimePoint>* gated_single) {
  // Whether the stored choice holds is told by counting the posts, without reading them.
  const auto counts = [&](double days) {
    if (gated_single) {
      const TimePoint young = as_written(now) - std::chrono::seconds(std::llround(days * 86400));
      const auto fresh = std::count_if(gated_single->begin(), gated_single->end(),
                                       [&](TimePoint at) { return at > young; });
      return std::pair(static_cast<int>(std::min<size_t>(gated_single->size(), kFittedPosts)),
                       static_cast<int>(fresh));
    }
    LearningQuery q({id, now, "single"});
    const std::string limit = q.bind(kFittedPosts);
    const std::string young = q.bind(std::llround(days * 86400));
    const auto r = q.exec(t, "SELECT least(count(*), " + limit +
                                 "), count(*) FILTER (WHERE g.posted_at > scope.now - "
                                 "make_interval(secs => " +
                                 young + ")) FROM gated g, scope")[0];
    return std::pair(r[0].as<int>(), r[1].as<int>());
  };
  if (!choose_again) {
    if (const auto stored = current_half_life(t, id, now, counts)) return *stored;
  }
  const std::vector<learn::AgedSample> samples = reward_samples(t, id, now);
  const double half_life = learn::choose_half_life(samples);
  t.exec_params0(
      "INSERT INTO reward_memory (account_id, half_life_days, posts, chosen_at) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (account_id) DO UPDATE SET "
      "half_life_days = excluded.half_life_days, posts = excluded.posts, "
      "chosen_at = excluded.chosen_at",
      id, half_life, static_cast<long long>(samples.size()), format_iso8601(now));
  return half_life;
}

learn::RewardModel fit_reward_model(pqxx::transaction_base& t, long long id, TimePoint now,
                                    const std::map<std::string, double>& prior_means) {
  const std::vector<learn::AgedSample> samples = reward_samples(t, id, now);
  const double half_life = reward_half_life(t, id, now, samples);
  return learn::RewardModel::fit(learn::decayed(samples, half_life), std::nullopt, prior_means);
}

namespace {

// The reward of x-sandbox's expected metrics. Expected values carry no
// counting noise, so the post's own rates are the smoothing target.
double expected_reward(const x::ExpectedMetrics& e,
                       const std::optional<learn::ActionValues>& smoothing) {
  const auto count = [](double v) { return std::optional<long long>(static_cast<long long>(v)); };
  learn::PostOutcome m;
  m.impressions = count(e.impressions);
  m.likes = count(e.likes);
  m.retweets = count(e.retweets);
  m.replies = count(e.replies);
  m.quotes = count(e.quotes);
  m.bookmarks = count(e.bookmarks);
  m.profile_clicks = count(e.profile_clicks);
  m.followers_gained = e.follows;
  const double imp = std::max(1.0, e.impressions);
  const std::map<std::string, double> expected = {{"likes", e.likes},
                                                  {"retweets", e.retweets},
                                                  {"replies", e.replies},
                                                  {"quotes", e.quotes},
                                                  {"bookmarks", e.bookmarks},
                                                  {"profile_clicks", e.profile_clicks},
                                                  {"followers_gained", e.follows}};
  learn::ActionValues own{};
  for (size_t a = 0; a < own.size(); ++a) own[a] = expected.at(learn::kRewardActions[a].name) / imp;
  return learn::post_reward(m, smoothing ? *smoothing : own);
}

}  // namespace

plan::OracleScorer sandbox_scorer(db::AccountRun& run,
                                  std::optional<learn::ActionValues> smoothing) {
  const x::XConfig config = x::x_config_from_env(run.ctx.clock);
  if (x::is_real_x(config.base_url)) {
    throw usage_error("--policy oracle",
                      "X_API_BASE_URL is " + config.base_url +
                          ", the real X: the oracle scores plans with x-sandbox's hidden truth "
                          "(POST /sandbox/score), so it runs only against an x-sandbox");
  }
  std::shared_ptr<x::XClient> client = open_x_client(run);
  return [client, smoothing](const std::string& text, TimePoint at) {
    try {
      return expected_reward(client->sandbox_score(text, at), smoothing);
    } catch (const x::ApiError& e) {
      if (e.problem() != x::Problem::kNotFound) throw;
      throw usage_error("--policy oracle", "X_API_BASE_URL " + client->base_url() +
                                               " is not an x-sandbox (POST /sandbox/score: " +
                                               e.classified().detail + ")");
    }
  };
}

plan::PlanInputs load_plan_inputs(db::AccountRun& run, TimePoint now, plan::Policy policy) {
  plan::PlanInputs in;
  in.now = now;
  in.timezone = run.account.timezone;
  in.posting_hours = {run.account.posting_hour_from, run.account.posting_hour_to};
  const long long id = run.account.id;
  const std::string now_text = format_iso8601(now);
  pqxx::read_transaction t(run.conn);
  for (const auto& topic : run.account.topics) {
    const std::string key = learn::lower_unicode(topic);
    if (in.topic_names.emplace(key, topic).second) in.topics.push_back(key);
  }
  for (const auto& r : t.exec_params(kTrending, id, now_text)) {
    in.trending.push_back(r[0].as<std::string>());
    in.topic_names.emplace(in.trending.back(), r[2].as<std::string>());
  }
  for (const auto& r : t.exec(kPersonas))
    in.personas.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()});
  for (const auto& r : t.exec_params(kFormulas, id)) {
    plan::Formula f{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                    r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<double>()};
    for (const auto& g : db::from_pg_array(r[6])) in.formulas_by_generator[g].push_back(f.key);
    in.formulas.push_back(std::move(f));
  }
  for (const auto& r : t.exec_params(kRecent, id)) {
    plan::RecentPost p{r[0].as<std::string>(), {}};
    for (const auto& v : db::from_pg_array(r[1]))
      p.embedding.push_back(parse_float(v, "content_embeddings.embedding"));
    in.recent.push_back(std::move(p));
  }
  for (const auto& r : t.exec_params(kBestRecent, id))
    in.best_recent.push_back(r[0].as<std::string>());
  const pqxx::result scheduled = t.exec_params(scheduled_sql(), id, now_text);
  for (const auto& r : scheduled) in.scheduled.push_back(from_epoch_seconds(r[0].as<double>()));
  std::tie(in.topic_uses, in.hook_uses) = uses_of(scheduled);
  if (policy == plan::Policy::kEpsilon) {
    in.generator_arms = learn::arm_posteriors(stored_arms(t, id, "single", "generator"));
    in.topic_arms = learn::arm_posteriors(stored_arms(t, id, "single", "topic"));
    in.hour_arms = learn::arm_posteriors(stored_arms(t, id, "single", "hour"));
    in.hook_arms = learn::arm_posteriors(arm_stats(t, {id, now, "single"}, "hook", true));
  }
  if (policy == plan::Policy::kThompson) {
    in.pooled_prior = load_pooled_prior(t, id);
    in.reward_model = fit_reward_model(t, id, now, in.pooled_prior.means());
  }
  t.commit();
  if (policy == plan::Policy::kOracle) in.oracle_score = sandbox_scorer(run);
  return in;
}

}  // namespace gl::jobs
