#include "jobs/plan_post.h"

#include <cmath>
#include <set>

#include "core/error.h"
#include "core/secrets.h"
#include "core/timezone.h"
#include "jobs/arms.h"
#include "jobs/learning_data.h"
#include "jobs/training.h"
#include "learn/embedding.h"
#include "learn/predictor.h"
#include "learn/reward_model.h"
#include "learn/rules.h"
#include "llm/client.h"
#include "plan/composer.h"
#include "plan/draft_check.h"
#include "x/tweet_text.h"

namespace gl::jobs {

namespace {

using plan::Choice;

struct Persona {
  std::string name, description, style;
};

struct Formula {
  std::string key, name, structure, example, hook;
  double score = 0, confidence = 0;
};

// Everything a plan reads, loaded once per run.
struct PlanInputs {
  std::vector<std::string> topics;    // account's list and its history
  std::vector<std::string> trending;  // fresh trending topics, best first
  std::vector<Persona> personas;      // enabled
  std::vector<Formula> formulas;      // format single
  std::map<std::string, std::vector<std::string>> formulas_by_generator;
  learn::ArmPosteriors generator_arms, topic_arms, hour_arms, hook_arms;
  std::vector<plan::RecentPost> recent;  // last 60 posts, for duplicates
  std::vector<std::string> best_recent;  // best recent posts, for the LLM prompt
  std::vector<TimePoint> scheduled;      // posts queued or posted around now
  std::map<std::string, TimePoint> topic_last_used;
  std::optional<StoredPredictor> predictor;
  learn::RewardModel reward_model;  // the Thompson policy's joint posterior
};

PlanInputs load_inputs(db::AccountRun& run, TimePoint now, plan::Policy policy) {
  PlanInputs in;
  const long long id = run.account.id;
  const std::string now_text = format_iso8601(now);
  pqxx::read_transaction t(run.conn);
  std::set<std::string> seen;
  for (const auto& topic : run.account.topics) {
    if (seen.insert(learn::lower(topic)).second) in.topics.push_back(learn::lower(topic));
  }
  for (const auto& r :
       t.exec_params("SELECT DISTINCT lower(topic) FROM content_metadata WHERE account_id = $1 "
                     "AND created_at > $2::timestamptz - interval '90 days' ORDER BY 1",
                     id, now_text)) {
    if (seen.insert(r[0].as<std::string>()).second) in.topics.push_back(r[0].as<std::string>());
  }
  for (const auto& r : t.exec_params("SELECT lower(topic), max(score) FROM trending_topics WHERE "
                                     "account_id = $1 AND observed_at <= $2 "
                                     "AND observed_at > $2::timestamptz - interval '48 hours' AND "
                                     "(expires_at IS NULL OR expires_at > $2) "
                                     "GROUP BY 1 ORDER BY 2 DESC, 1",
                                     id, now_text)) {
    in.trending.push_back(r[0].as<std::string>());
  }
  for (const auto& r : t.exec("SELECT generator_name, description, prompt_style FROM generators "
                              "WHERE enabled ORDER BY 1")) {
    in.personas.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>()});
  }
  for (const auto& r : t.exec_params(
           "SELECT formula_key, name, structure, example, hook_type, coalesce(avg_views, 0), "
           "confidence, generators "
           "FROM viral_formulas WHERE account_id = $1 AND format = 'single' ORDER BY formula_key",
           id)) {
    Formula f{r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
              r[3].as<std::string>(), r[4].as<std::string>(), 0,
              r[6].as<double>()};
    in.formulas.push_back(f);
    for (const auto& g : db::from_pg_array(r[7])) in.formulas_by_generator[g].push_back(f.key);
  }
  // Each policy reads only what it chooses with: epsilon-greedy the per-family
  // arms, Thompson the joint posterior; random and the oracle neither.
  if (policy == plan::Policy::kEpsilon) {
    in.generator_arms = learn::arm_posteriors(stored_arms(t, id, "single", "generator"));
    in.topic_arms = learn::arm_posteriors(stored_arms(t, id, "single", "topic"));
    in.hour_arms = learn::arm_posteriors(stored_arms(t, id, "single", "hour"));
    in.hook_arms = learn::arm_posteriors(arm_stats(t, {id, now, "single"}, "hook", true));
  }
  for (const auto& r : t.exec_params(
           "SELECT cm.content, e.embedding FROM content_metadata cm LEFT JOIN content_embeddings e "
           "ON e.account_id = cm.account_id AND e.decision_id = cm.decision_id AND e.model = "
           "'local-hash-256' "
           "WHERE cm.account_id = $1 AND cm.status IN ('queued', 'posting', 'posted') "
           "ORDER BY cm.created_at DESC LIMIT 60",
           id)) {
    plan::RecentPost p{r[0].as<std::string>(), {}};
    for (const auto& v : db::from_pg_array(r[1])) p.embedding.push_back(std::stof(v));
    in.recent.push_back(std::move(p));
  }
  for (const auto& r : t.exec_params(
           "SELECT lp.content FROM learning_posts lp WHERE lp.account_id = $1 AND lp.passed_gates "
           "ORDER BY lp.engagement_rate DESC NULLS LAST LIMIT 3",
           id)) {
    in.best_recent.push_back(r[0].as<std::string>());
  }
  for (const auto& r :
       t.exec_params("SELECT extract(epoch FROM coalesce(posted_at, scheduled_at))::float8, "
                     "lower(topic) FROM content_metadata "
                     "WHERE account_id = $1 AND status IN ('queued', 'posting', 'posted') "
                     "AND coalesce(posted_at, scheduled_at) > $2::timestamptz - interval '2 days'",
                     id, now_text)) {
    const TimePoint at = from_epoch_seconds(r[0].as<double>());
    in.scheduled.push_back(at);
    auto& last = in.topic_last_used[r[1].as<std::string>()];
    last = std::max(last, at);
  }
  in.predictor = current_predictor(t, id, "single");
  if (policy == plan::Policy::kThompson) {
    // The reward posterior, refit at every plan from the newest metrics; old posts count less.
    std::vector<learn::WeightedSample> samples;
    for (const auto& p : load_gated_posts(t, {id, now, "single"}, 2000)) {
      const std::string hook = learn::hook_name(learn::analyze_text(p.content).hook);
      learn::FeatureMap x =
          learn::choice_features(learn::lower(p.topic), hook, p.generator, p.hour);
      for (const auto& [k, v] : learn::maturity_features(p.age_at_collection_hours)) x[k] = v;
      for (const auto& [k, v] : learn::wording_features(p.content)) x[k] = v;
      samples.push_back({x, p.reward, learn::decay_weight(hours_between(p.posted_at, now) / 24.0)});
    }
    in.reward_model = learn::RewardModel::fit(samples);
  }
  return in;
}

// Posting slots on the hour over the next day that respect spacing and the daily cap.
std::vector<TimePoint> candidate_slots(const PlanInputs& in, TimePoint now, const std::string& tz,
                                       const PlanOptions& o) {
  std::vector<TimePoint> out;
  const auto spacing = std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(o.min_spacing_hours * 3600));
  auto start = std::chrono::floor<std::chrono::hours>(now) + std::chrono::hours(1);
  for (int h = 0; h < 48 && out.size() < 24; ++h) {
    const TimePoint slot = start + std::chrono::hours(h);
    bool ok = true;
    int same_day = 0;
    const LocalTime local = to_local(slot, tz);
    for (const TimePoint& s : in.scheduled) {
      if (slot - s < spacing && s - slot < spacing) ok = false;
      const LocalTime other = to_local(s, tz);
      if (other.year == local.year && other.month == local.month && other.day == local.day)
        ++same_day;
    }
    if (ok && same_day < o.daily_cap) out.push_back(slot);
  }
  return out;
}

nlohmann::json dist_json(const Choice& c) {
  return {{"chosen", c.key}, {"p", c.probability}, {"distribution", c.distribution}};
}

// The sandbox's expected reward of a text posted at a time (the oracle policy).
double oracle_reward(HttpClient& http, const std::string& base, const std::string& text,
                     TimePoint at) {
  HttpRequest req;
  req.method = "POST";
  req.url = base + "/sandbox/score";
  req.headers = {"Content-Type: application/json"};
  req.body = nlohmann::json{{"text", text}, {"posted_at", format_iso8601(at)}}.dump();
  HttpResponse resp;
  TransportError err;
  if (!http.perform(req, resp, err) || resp.status != 200) {
    throw failure("--policy oracle", "needs x-sandbox at X_API_BASE_URL (/sandbox/score): " +
                                         (err.message.empty() ? resp.body : err.message));
  }
  const auto j = nlohmann::json::parse(resp.body);
  learn::PostOutcome m;
  const auto c = [&](const char* k) {
    return std::optional<long long>(static_cast<long long>(j.value(k, 0.0)));
  };
  m.impressions = c("impressions");
  m.likes = c("likes");
  m.retweets = c("retweets");
  m.replies = c("replies");
  m.quotes = c("quotes");
  m.bookmarks = c("bookmarks");
  m.profile_clicks = c("profile_clicks");
  m.followers_gained = j.value("follows", 0.0);
  // Expected values carry no counting noise: the post's own rates are the smoothing target.
  const double imp = std::max(1.0, j.value("impressions", 0.0));
  const char* keys[] = {"likes",     "retweets",       "replies", "quotes",
                        "bookmarks", "profile_clicks", "follows"};  // learn::kRewardActions
  learn::ActionValues own{};
  for (size_t a = 0; a < own.size(); ++a) own[a] = j.value(keys[a], 0.0) / imp;
  return learn::post_reward(m, own);
}

std::string llm_prompt(const Persona& p, const std::string& topic, learn::HookType hook,
                       const Formula* f, const std::vector<std::string>& best) {
  std::string prompt = "Persona: " + p.name + " (" + p.description + ")\nStyle: " + p.style +
                       "\nTopic: " + topic + "\nHook: " + learn::hook_name(hook) + " (" +
                       learn::hook_label(hook) + ")\n";
  if (f) prompt += "Formula: " + f->structure + "\nExample of the formula: " + f->example + "\n";
  if (!best.empty()) {
    prompt += "The account's best recent posts:\n";
    for (const auto& b : best) prompt += "- " + b + "\n";
  }
  prompt += "Write one new post on the topic in this persona's voice, opening with the hook.";
  return prompt;
}

// The offline composer's draft: under the Thompson policy, the best of a few
// drafts by a posterior draw's score of their wording; otherwise the first.
std::string compose_best(const PlanInputs& in, const PlanOptions& o,
                         const plan::DraftRequest& request, std::mt19937_64& rng,
                         nlohmann::json& rationale) {
  constexpr int kDrafts = 4;
  if (o.policy != plan::Policy::kThompson) return plan::compose_offline(request, rng);
  auto draw = in.reward_model.draw(rng, o.exploration);
  std::string best;
  double best_score = -1e300;
  int considered = 0;
  for (int i = 0; i < kDrafts * 3 && considered < kDrafts; ++i) {
    const std::string draft = plan::compose_offline(request, rng);
    if (plan::check_draft(draft, in.recent)) continue;
    ++considered;
    const double score = draw.score(learn::wording_features(draft));
    if (score > best_score) {
      best_score = score;
      best = draft;
    }
  }
  rationale["drafts_considered"] = considered;
  return best.empty() ? plan::compose_offline(request, rng) : best;
}

constexpr const char* kSystemPrompt =
    "You write single posts for an X (Twitter) account. Rules: output only the post text; at most "
    "260 "
    "characters; no hashtags; no placeholders or brackets; no claims of being an AI; plain, "
    "specific, true.";

}  // namespace

int plan_post(db::AccountRun& run, const PlanOptions& o) {
  const TimePoint now = run.now;
  std::mt19937_64 rng(o.seed ? o.seed : std::random_device{}());
  PlanInputs in = load_inputs(run, now, o.policy);
  if (in.topics.empty() && in.trending.empty()) {
    throw usage_error("account @" + run.account.handle,
                      "has no topics to write about: add some with accounts add " +
                          run.account.handle + " --topic \"...\" --topic \"...\"");
  }
  if (in.personas.empty())
    throw failure("generators", "every persona is disabled; enable one in the generators table");

  int to_plan = o.count;
  if (o.fill_to > 0) {
    pqxx::read_transaction t(run.conn);
    const long long queued = t.exec_params1(
                                  "SELECT count(*) FROM content_metadata WHERE account_id = $1 AND "
                                  "status = 'queued' AND scheduled_at > $2",
                                  run.account.id, format_iso8601(now))[0]
                                 .as<long long>();
    to_plan = std::max(0, o.fill_to - static_cast<int>(queued));
  }
  std::optional<llm::LlmClient> llm;
  if (const auto config = llm::llm_config_from_env(true)) llm.emplace(*config, run.ctx.log);
  HttpClient sandbox_http(10000);
  const std::string sandbox_base = env_setting("X_API_BASE_URL").value_or("");

  int planned = 0;
  for (int n = 0; n < to_plan; ++n) {
    const auto slots = candidate_slots(in, now, run.account.timezone, o);
    if (slots.empty()) {
      run.ctx.log.info("no slot free in the next day (spacing {} h, cap {} a day)",
                       o.min_spacing_hours, o.daily_cap);
      break;
    }
    nlohmann::json probs = nlohmann::json::object();
    nlohmann::json rationale = nlohmann::json::object();
    rationale["policy"] = plan::policy_name(o.policy);

    // Topic: a trending one with probability 0.35, else the topic bandit; never one used too
    // recently.
    std::vector<std::string> topics;
    for (const auto& t : in.topics) {
      auto it = in.topic_last_used.find(t);
      if (it == in.topic_last_used.end() ||
          hours_between(it->second, now) >= o.topic_cooldown_hours)
        topics.push_back(t);
    }
    if (topics.empty()) topics = in.topics;
    std::vector<std::string> trending;
    for (const auto& t : in.trending) {
      auto it = in.topic_last_used.find(t);
      if (it == in.topic_last_used.end() ||
          hours_between(it->second, now) >= o.topic_cooldown_hours)
        trending.push_back(t);
    }
    // Thompson and the oracle choose the topic together with everything else;
    // here they only take the trending rule's topic.
    const bool joint = o.policy == plan::Policy::kThompson || o.policy == plan::Policy::kOracle;
    std::string topic;
    const auto tc = plan::choose_topic(in.topic_arms, topics, trending, o.trending_probability,
                                       joint ? plan::Policy::kRandom : o.policy, o.epsilon, rng);
    if (tc.trending || !joint) {
      topic = tc.choice.key;
      probs["topic"] = dist_json(tc.choice);
      probs["topic"]["trending"] = tc.trending;
    }
    std::string text, generator, hook_name, formula_key;
    std::optional<TimePoint> slot;
    const Formula* formula = nullptr;
    if (o.policy == plan::Policy::kOracle) {
      // The best possible policy: the sandbox's truth scores every topic and hook, then every slot.
      double best = -1e300;
      for (const auto& t : topic.empty() ? topics : std::vector<std::string>{topic}) {
        for (learn::HookType h : learn::kAllHookTypes) {
          std::mt19937_64 draft_rng(rng());
          const std::string draft = plan::compose_offline({t, h, "", ""}, draft_rng);
          if (plan::check_draft(draft, in.recent)) continue;
          const double r = oracle_reward(sandbox_http, sandbox_base, draft, slots.front());
          if (r > best) {
            best = r;
            topic = t;
            text = draft;
            hook_name = learn::hook_name(h);
          }
        }
      }
      best = -1e300;
      for (const auto& s : slots) {
        const double r = oracle_reward(sandbox_http, sandbox_base, text, s);
        if (r > best) {
          best = r;
          slot = s;
        }
      }
      learn::HookType h = learn::HookType::kStatement;
      learn::parse_hook(hook_name, h);
      std::vector<std::string> fitting;
      for (const auto& p : in.personas) {
        for (auto ph : plan::persona_hooks(p.name))
          if (ph == h) fitting.push_back(p.name);
      }
      generator = fitting.empty() ? in.personas.front().name : fitting[rng() % fitting.size()];
      probs["oracle_expected_reward"] = best;
    } else if (o.policy == plan::Policy::kThompson) {
      // Thompson sampling on the joint posterior: each draw of the coefficients
      // names its best topic, hook, persona and hour; the plan follows one
      // draw, and the share of draws behind each choice is its probability.
      std::vector<std::string> hooks, names, hours;
      for (learn::HookType h : learn::kAllHookTypes) hooks.push_back(learn::hook_name(h));
      for (const auto& p : in.personas) names.push_back(p.name);
      std::map<std::string, TimePoint> first_slot_of_hour;
      for (const auto& s : slots) {
        const std::string h = std::to_string(to_local(s, run.account.timezone).hour);
        if (first_slot_of_hour.emplace(h, s).second) hours.push_back(h);
      }
      const int kDraws = 400;
      struct Pick {
        std::string topic, hook, generator, hour;
      };
      std::vector<Pick> picks;
      std::map<std::string, std::map<std::string, double>> freq;
      const auto best = [](learn::RewardModel::Draw& d, const std::vector<std::string>& keys,
                           const std::string& prefix) {
        std::string arg;
        double top = -1e300;
        for (const auto& k : keys) {
          const double v = d.coefficient(prefix + k);
          if (v > top) {
            top = v;
            arg = k;
          }
        }
        return arg;
      };
      for (int i = 0; i < kDraws; ++i) {
        auto d = in.reward_model.draw(rng, o.exploration);
        Pick pk;
        pk.topic = topic.empty() ? best(d, topics, "topic=") : topic;
        pk.hook = best(d, hooks, "hook=");
        pk.generator = best(d, names, "generator=");
        double top = -1e300;
        for (const auto& h : hours) {
          const double v = d.score(learn::hour_features(std::stoi(h)));
          if (v > top) {
            top = v;
            pk.hour = h;
          }
        }
        freq["topic"][pk.topic] += 1.0 / kDraws;
        freq["hook"][pk.hook] += 1.0 / kDraws;
        freq["generator"][pk.generator] += 1.0 / kDraws;
        freq["hour"][pk.hour] += 1.0 / kDraws;
        picks.push_back(pk);
      }
      const Pick chosen = picks[std::uniform_int_distribution<size_t>(0, picks.size() - 1)(rng)];
      // A 1% uniform floor per choice keeps every candidate possible and its logged probability
      // above zero.
      const auto settle = [&](const char* family, const std::vector<std::string>& keys,
                              const std::string& drawn) {
        std::map<std::string, double> dist;
        for (const auto& k : keys)
          dist[k] = 0.99 * freq[family][k] + 0.01 / static_cast<double>(keys.size());
        std::string key = drawn;
        if (std::uniform_real_distribution<double>(0, 1)(rng) < 0.01)
          key = keys[rng() % keys.size()];
        probs[family] = {{"chosen", key}, {"p", dist[key]}, {"distribution", dist}};
        return key;
      };
      if (topic.empty()) {
        topic = settle("topic", topics, chosen.topic);
        if (!trending.empty())
          probs["topic"]["p"] = probs["topic"]["p"].get<double>() * (1 - o.trending_probability);
        probs["topic"]["trending"] = false;
      }
      hook_name = settle("hook", hooks, chosen.hook);
      generator = settle("generator", names, chosen.generator);
      slot = first_slot_of_hour.at(settle("hour", hours, chosen.hour));
      // The formula: a learned one with that hook, the persona's own first.
      std::map<std::string, double> weights;
      const auto fit = in.formulas_by_generator.find(generator);
      for (const auto& f : in.formulas) {
        if (f.hook != hook_name) continue;
        const bool own =
            fit != in.formulas_by_generator.end() &&
            std::find(fit->second.begin(), fit->second.end(), f.key) != fit->second.end();
        weights[f.key] = (0.05 + f.confidence) * (own ? 3 : 1);
      }
      if (!weights.empty()) {
        const Choice f = plan::choose_weighted(weights, rng);
        formula_key = f.key;
        for (const auto& fm : in.formulas) {
          if (fm.key == f.key) formula = &fm;
        }
        probs["formula"] = {{"chosen", f.key}, {"p", f.probability}};
      }
      rationale["posterior_samples"] = in.reward_model.samples();
    } else {
      std::vector<std::string> names;
      for (const auto& p : in.personas) names.push_back(p.name);
      const Choice g = plan::choose(in.generator_arms, names, o.policy, o.epsilon, rng);
      generator = g.key;
      probs["generator"] = dist_json(g);
      // Formula: the generator's learned formulas, weighted by performance and confidence.
      const auto fit = in.formulas_by_generator.find(generator);
      if (o.policy != plan::Policy::kRandom && fit != in.formulas_by_generator.end() &&
          !fit->second.empty()) {
        std::map<std::string, double> weights;
        for (const auto& key : fit->second) {
          for (const auto& f : in.formulas) {
            if (f.key == key) weights[key] = 0.05 + f.confidence;
          }
        }
        const Choice f = plan::choose_weighted(weights, rng);
        formula_key = f.key;
        for (const auto& fm : in.formulas) {
          if (fm.key == f.key) formula = &fm;
        }
        hook_name = formula->hook;
        probs["formula"] = {{"chosen", f.key}, {"p", f.probability}};
      } else {
        std::vector<std::string> hooks;
        for (learn::HookType h : learn::kAllHookTypes) hooks.push_back(learn::hook_name(h));
        const Choice h = plan::choose(in.hook_arms, hooks, o.policy, o.epsilon, rng);
        hook_name = h.key;
        probs["hook"] = dist_json(h);
      }
      std::vector<std::string> hours;
      std::map<std::string, TimePoint> first_slot_of_hour;
      for (const auto& s : slots) {
        const std::string h = std::to_string(to_local(s, run.account.timezone).hour);
        if (first_slot_of_hour.emplace(h, s).second) hours.push_back(h);
      }
      const Choice hc = plan::choose(in.hour_arms, hours, o.policy, o.epsilon, rng);
      slot = first_slot_of_hour.at(hc.key);
      probs["hour"] = dist_json(hc);
    }

    learn::HookType hook = learn::HookType::kStatement;
    learn::parse_hook(hook_name, hook);
    const Persona* persona = &in.personas.front();
    for (const auto& p : in.personas) {
      if (p.name == generator) persona = &p;
    }
    // Text: the LLM when configured, else the offline composer, which is also
    // the last attempt when LLM drafts fail or are rejected; checked either way.
    std::string source = "offline";
    std::vector<std::string> rejected;
    if (!text.empty() && plan::check_draft(text, in.recent)) text.clear();
    for (int attempt = 0; text.empty() && attempt < o.max_draft_attempts; ++attempt) {
      const bool last = attempt + 1 == o.max_draft_attempts;
      if (llm && source != "offline_fallback" && !last) {
        try {
          text = plan::clean_llm_text(
              llm->chat({{"system", kSystemPrompt},
                         {"user", llm_prompt(*persona, topic, hook, formula, in.best_recent)}},
                        0.9, 200));
          source = "llm";
        } catch (const Error& e) {
          run.ctx.log.warn("LLM failed ({}); using the offline composer", e.what());
          rationale["llm_error"] = e.what();
          source = "offline_fallback";
        }
      }
      if (text.empty()) {
        text = compose_best(in, o, {topic, hook, generator, formula ? formula->structure : ""}, rng,
                            rationale);
        if (llm) source = "offline_fallback";
      }
      if (const auto why = plan::check_draft(text, in.recent)) {
        rejected.push_back(source + ": " + *why);
        text.clear();
      }
    }
    if (text.empty()) {
      std::string reasons;
      for (const auto& r : rejected) reasons += (reasons.empty() ? "" : "; ") + r;
      throw failure("plan-post", "no acceptable draft after " +
                                     std::to_string(o.max_draft_attempts) + " attempts (" +
                                     reasons + "); nothing queued");
    }
    text = x::nfc(text);

    const learn::TextFeatures tf = learn::analyze_text(text);
    const LocalTime local = to_local(*slot, run.account.timezone);
    double spacing = 24;
    for (const auto& s : in.scheduled) {
      if (s < *slot) spacing = std::min(spacing, hours_between(s, *slot));
    }
    std::optional<double> predicted_views, predicted_er;
    if (in.predictor) {
      const auto x = learn::features_of(
          {text, topic, generator, formula_key, local.hour, local.weekday, spacing});
      predicted_views = std::exp(in.predictor->log_views.predict(x));
      predicted_er = std::max(0.0, in.predictor->engagement_rate.predict(x));
    }
    rationale["text_source"] = source;
    if (!rejected.empty()) rationale["rejected_drafts"] = rejected;
    rationale["local_hour"] = local.hour;
    if (formula)
      rationale["formula"] = {{"name", formula->name}, {"structure", formula->structure}};
    const std::vector<std::string> tags = {learn::hook_name(tf.hook), tf.length_band,
                                           tf.has_numbers ? "numbers" : "no_numbers"};
    std::string decision_id;
    if (!run.ctx.common.dry_run) {
      pqxx::work w(run.conn);
      decision_id = w.exec_params1(
                         "INSERT INTO content_metadata (account_id, generator_name, topic, "
                         "formula_name, hook_type, "
                         "  format, tags, content, predicted_engagement, predicted_views, "
                         "choice_probabilities, "
                         "  rationale, status, scheduled_at, created_at, updated_at) "
                         "VALUES ($1, $2, $3, nullif($4, ''), $5, 'single', $6::text[], $7, $8, "
                         "$9, $10::jsonb, "
                         "  $11::jsonb, 'queued', $12, $13, $13) RETURNING decision_id::text",
                         run.account.id, generator, topic, formula_key, learn::hook_name(tf.hook),
                         db::to_pg_array(tags), text, predicted_er, predicted_views, probs.dump(),
                         rationale.dump(), format_iso8601(*slot), format_iso8601(now))[0]
                        .as<std::string>();
      w.commit();
    }
    emit({{"decision_id", decision_id.empty() ? Json(nullptr) : Json(decision_id)},
          {"generator", generator},
          {"topic", topic},
          {"formula", formula_key.empty() ? Json(nullptr) : Json(formula_key)},
          {"hook", learn::hook_name(tf.hook)},
          {"scheduled_at", format_iso8601(*slot)},
          {"text", text},
          {"weighted_length", x::weighted_length(text)},
          {"predicted",
           {{"views", predicted_views ? Json(*predicted_views) : Json(nullptr)},
            {"engagement_rate", predicted_er ? Json(*predicted_er) : Json(nullptr)}}},
          {"probabilities", probs},
          {"rationale", rationale},
          {"dry_run", run.ctx.common.dry_run}});
    // The next plan of this run sees this one.
    in.scheduled.push_back(*slot);
    in.topic_last_used[topic] = std::max(in.topic_last_used[topic], now);
    in.recent.push_back({text, learn::local_embedding(text)});
    ++planned;
  }
  run.stats["planned"] = planned;
  return 0;
}

}  // namespace gl::jobs
