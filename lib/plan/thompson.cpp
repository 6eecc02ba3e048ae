// Thompson sampling on the joint reward model (learn::RewardModel). Each
// posterior draw scores every candidate plan as a whole, through the same
// features the model is fitted on, so terms that tie the families together
// (topic x hour, fatigue, ...) count as soon as the model has them.
#include <Eigen/Dense>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "learn/reward_model.h"
#include "plan/choice.h"
#include "plan/planner.h"

namespace gl::plan {

namespace {

// A 1% uniform floor over all plans keeps every candidate possible and its
// logged probability above zero (off-policy estimates divide by it).
constexpr double kFloor = 0.01;

enum Family { kTopic, kHook, kPersona, kHour };

// The candidate plans: every topic with every hour off its cooldown, every
// hook and every persona; a plan is the index of its key in each family.
struct PlanGrid {
  std::array<std::vector<std::string>, 4> keys;
  std::vector<std::array<size_t, 4>> plans;

  const std::string& key(size_t plan, Family f) const { return keys[f][plans[plan][f]]; }
};

PlanGrid grid_of(const Candidates& c, const std::vector<std::string>& topics) {
  PlanGrid g;
  g.keys[kTopic] = topics;
  g.keys[kHook] = c.hooks;
  g.keys[kPersona] = c.personas;
  std::map<std::string, size_t> hour_index;
  for (size_t t = 0; t < topics.size(); ++t) {
    for (const auto& hour : c.hours.at(topics[t]).hours) {
      const auto [it, added] = hour_index.emplace(hour, g.keys[kHour].size());
      if (added) g.keys[kHour].push_back(hour);
      for (size_t h = 0; h < c.hooks.size(); ++h) {
        for (size_t p = 0; p < c.personas.size(); ++p) g.plans.push_back({t, h, p, it->second});
      }
    }
  }
  return g;
}

// A plan's features as the model was fitted on them, but for its persona's:
// its topic, hook and hour, the wording its hook brings (the hook's
// companions), and how often its topic and hook went out in the days before
// its slot.
learn::FeatureMap plan_features(const PlanInputs& in, const Candidates& c, const std::string& topic,
                                const std::string& hook, const std::string& hour) {
  learn::FeatureMap x = learn::choice_features(topic, hook, "", std::stoi(hour));
  for (const auto& [k, v] : in.reward_model.companions("hook=" + hook)) x[k] = v;
  static const std::vector<TimePoint> kNone;
  const auto uses = [](const std::map<std::string, std::vector<TimePoint>>& m,
                       const std::string& key) -> const std::vector<TimePoint>& {
    const auto it = m.find(key);
    return it == m.end() ? kNone : it->second;
  };
  const TimePoint slot = c.hours.at(topic).first_slot.at(hour);
  for (const auto& [k, v] :
       learn::repetition_features(slot, uses(in.topic_uses, topic), uses(in.hook_uses, hook)))
    x[k] = v;
  return x;
}

// Each plan's features as (coefficient index, value), against one list of names.
// The plans of one topic, hook and hour (one per persona) are consecutive, a
// block: the same terms but the persona's, which is the term at persona[plan].
struct CompiledFeatures {
  std::vector<std::string> names;
  std::vector<size_t> offsets = {0};
  std::vector<std::pair<size_t, double>> entries;
  std::vector<size_t> persona;  // per plan: the index in entries of its persona's term
  std::vector<size_t> blocks;   // the first plan of each block, then the number of plans
};

CompiledFeatures compile(const PlanInputs& in, const Candidates& c, const PlanGrid& g) {
  CompiledFeatures out;
  std::map<std::string, size_t> index;
  const auto index_of = [&](const std::string& name) {
    const auto [it, added] = index.emplace(name, out.names.size());
    if (added) out.names.push_back(name);
    return it->second;
  };
  // A name's index is looked up once, at its first use, so the names keep the
  // order in which the plans first use them (the order the draws are drawn in).
  constexpr size_t kUnseen = SIZE_MAX;
  std::vector<std::string> persona_features;
  for (const auto& persona : g.keys[kPersona])
    persona_features.push_back(learn::generator_feature(persona));
  std::vector<size_t> persona_index(persona_features.size(), kUnseen);
  // The features but the persona's are those of the plan's topic, hook and
  // hour, the same for every persona: made once for each.
  struct Shared {
    std::vector<std::pair<std::string, double>> features;  // in name order
    std::vector<size_t> index;
  };
  std::map<std::array<size_t, 3>, Shared> shared;
  for (size_t i = 0; i < g.plans.size(); ++i) {
    const std::array<size_t, 3> key = {g.plans[i][kTopic], g.plans[i][kHook], g.plans[i][kHour]};
    auto it = shared.find(key);
    if (i == 0 || g.plans[i - 1][kTopic] != key[0] || g.plans[i - 1][kHook] != key[1] ||
        g.plans[i - 1][kHour] != key[2])
      out.blocks.push_back(i);
    if (it == shared.end()) {
      const learn::FeatureMap x =
          plan_features(in, c, g.key(i, kTopic), g.key(i, kHook), g.key(i, kHour));
      Shared s{{x.begin(), x.end()}, std::vector<size_t>(x.size(), kUnseen)};
      if (out.entries.empty()) out.entries.reserve(g.plans.size() * (x.size() + 1));
      it = shared.emplace(key, std::move(s)).first;
    }
    Shared& s = it->second;
    // The persona's feature in its place in name order, as if in the same map.
    const size_t p = g.plans[i][kPersona];
    const auto add_persona = [&] {
      if (persona_index[p] == kUnseen) persona_index[p] = index_of(persona_features[p]);
      out.persona.push_back(out.entries.size());
      out.entries.emplace_back(persona_index[p], 1);
    };
    bool placed = false;
    for (size_t k = 0; k < s.features.size(); ++k) {
      if (!placed && persona_features[p] < s.features[k].first) {
        add_persona();
        placed = true;
      }
      if (s.index[k] == kUnseen) s.index[k] = index_of(s.features[k].first);
      out.entries.emplace_back(s.index[k], s.features[k].second);
    }
    if (!placed) add_persona();
    out.offsets.push_back(out.entries.size());
  }
  out.blocks.push_back(g.plans.size());
  return out;
}

// One plan's score under every draw: its terms added in order, an
// indicator's term its coefficient itself (c * 1 is c, exactly). `persona`,
// when given, takes the place of the coefficients of the term at f.persona[plan].
void score(const CompiledFeatures& f, const Eigen::MatrixXd& coefficients, size_t plan,
           const Eigen::ArrayXd* persona, Eigen::ArrayXd& s) {
  s.setZero();
  for (size_t e = f.offsets[plan]; e < f.offsets[plan + 1]; ++e) {
    const double v = f.entries[e].second;
    if (persona && e == f.persona[plan]) {
      s += *persona;
      continue;
    }
    const auto c = coefficients.col(static_cast<Eigen::Index>(f.entries[e].first)).array();
    if (v == 1) {
      s += c;
    } else {
      s += c * v;
    }
  }
}

// Each posterior draw's best plan at each hour, from the draws' coefficients
// (coefficients(draw, name)). Each plan is scored under all the draws at once,
// so its features are read once rather than once per draw (thousands of plans
// times hundreds of draws). A block's plans are scored only when one of them
// can beat a draw's best at its hour so far: rounding never lowers a sum when
// one of its terms rises, so the block's terms with the largest persona
// coefficient of each draw in the persona's place bound each of its plans'
// scores from above. These loops are most of a plan's CPU on a small account.
struct HourBests {
  Eigen::ArrayXXd score;                  // (draw, hour): -infinity where no plan has the hour
  std::vector<std::vector<size_t>> plan;  // [hour][draw]
};

HourBests best_plans(const CompiledFeatures& f, const PlanGrid& g,
                     const Eigen::MatrixXd& coefficients) {
  const auto draws = static_cast<size_t>(coefficients.rows());
  const size_t hours = g.keys[kHour].size();
  HourBests best{Eigen::ArrayXXd::Constant(coefficients.rows(), static_cast<Eigen::Index>(hours),
                                           -std::numeric_limits<double>::infinity()),
                 std::vector<std::vector<size_t>>(hours, std::vector<size_t>(draws, 0))};
  Eigen::ArrayXd s(coefficients.rows()), bound(coefficients.rows());
  const auto persona_column = [&](size_t plan) {
    return coefficients.col(static_cast<Eigen::Index>(f.entries[f.persona[plan]].first)).array();
  };
  for (size_t b = 0; b + 1 < f.blocks.size(); ++b) {
    const size_t first = f.blocks[b], end = f.blocks[b + 1];
    const size_t hour = g.plans[first][kHour];
    auto top = best.score.col(static_cast<Eigen::Index>(hour));
    bool same_place = true;
    for (size_t i = first; i < end; ++i)
      same_place = same_place && f.persona[i] - f.offsets[i] == f.persona[first] - f.offsets[first];
    if (same_place && end - first > 1) {
      bound = persona_column(first);
      for (size_t i = first + 1; i < end; ++i) bound = bound.max(persona_column(i));
      score(f, coefficients, first, &bound, s);
      if ((s <= top).all()) continue;
    }
    for (size_t i = first; i < end; ++i) {
      score(f, coefficients, i, nullptr, s);
      for (size_t d = 0; d < draws; ++d) {
        const auto k = static_cast<Eigen::Index>(d);
        if (s(k) > top(k)) {
          top(k) = s(k);
          best.plan[hour][d] = i;
        }
      }
    }
  }
  return best;
}

// Each draw's plan: its best plan at the hour whose value less what the hour
// costs the day's next post (NextPost) is highest.
std::vector<size_t> draw_picks(const Candidates& c, const PlanGrid& g, const PlanOptions& o,
                               const HourBests& best) {
  const auto draws = static_cast<size_t>(best.score.rows());
  std::vector<size_t> picks(draws, 0);
  std::vector<double> value(g.keys[kHour].size());
  const NextPost next(c, g.keys[kHour], o.min_spacing_hours);
  for (size_t d = 0; d < draws; ++d) {
    const auto k = static_cast<Eigen::Index>(d);
    for (size_t h = 0; h < value.size(); ++h)
      value[h] = best.score(k, static_cast<Eigen::Index>(h));
    picks[d] = best.plan[next.pick(value).value_or(0)][d];
  }
  return picks;
}

// What the posterior knows about a chosen key: posts with it, its effect on
// the reward against the average post, and the effect's 90% interval.
nlohmann::json evidence_json(const learn::RewardModel& m, const std::string& family,
                             const std::string& key) {
  const learn::FeatureEvidence e = m.evidence(family + "=" + key);
  const auto r = [](double v) { return std::round(v * 1e4) / 1e4; };
  return {{"key", key},
          {"posts", e.posts},
          {"effect", r(e.effect)},
          {"interval", {r(e.effect - 1.645 * e.sd), r(e.effect + 1.645 * e.sd)}}};
}

}  // namespace

Plan choose_thompson(const PlanInputs& in, const PlanOptions& o, std::mt19937_64& rng) {
  const Candidates c = candidates(in, o);
  const TopicRule rule = trending_rule(c, o.trending_probability, rng);
  const PlanGrid grid = grid_of(c, rule.trending ? std::vector<std::string>{rule.topic} : c.topics);
  const CompiledFeatures features = compile(in, c, grid);
  const int draws = std::max(1, o.thompson_draws);
  Eigen::MatrixXd coefficients(draws, static_cast<Eigen::Index>(features.names.size()));
  const learn::RewardModel::NamedDraws named(in.reward_model, features.names);
  std::vector<double> draw;
  for (Eigen::Index d = 0; d < draws; ++d) {
    named.draw(rng, o.exploration, draw);
    for (size_t j = 0; j < draw.size(); ++j)
      coefficients(d, static_cast<Eigen::Index>(j)) = draw[j];
  }
  const std::vector<size_t> picks =
      draw_picks(c, grid, o, best_plans(features, grid, coefficients));
  std::vector<int> wins(grid.plans.size(), 0);
  for (size_t p : picks) ++wins[p];
  // Follow one draw, or (the floor) a uniform plan.
  const size_t n = grid.plans.size();
  const size_t chosen = std::uniform_real_distribution<double>(0, 1)(rng) < kFloor
                            ? std::uniform_int_distribution<size_t>(0, n - 1)(rng)
                            : picks[std::uniform_int_distribution<size_t>(0, draws - 1)(rng)];
  // P(plan) = 0.99 share of draws + 0.01 / plans; a family's choice sums its plans.
  const auto p_plan = [&](size_t i) {
    return (1 - kFloor) * wins[i] / draws + kFloor / static_cast<double>(n);
  };
  std::array<FamilyChoice, 4> family;
  for (Family f : {kTopic, kHook, kPersona, kHour}) {
    for (const auto& key : grid.keys[f]) family[f].distribution[key] = 0;
    for (size_t i = 0; i < n; ++i) family[f].distribution[grid.key(i, f)] += p_plan(i);
    family[f].chosen = grid.key(chosen, f);
    family[f].p = family[f].distribution[family[f].chosen];
  }
  Plan plan =
      assemble(c, rule, within_branch(std::move(family[kTopic]), rule), std::move(family[kHook]),
               std::move(family[kPersona]), std::move(family[kHour]));
  plan.whole = {p_plan(chosen) * rule.p_branch, draws, "draws"};
  if (auto f = choose_formula(in, plan.persona, plan.hook, rng)) {
    plan.formula = f->chosen;
    plan.probabilities["formula"] = std::move(*f);
  }
  plan.rationale["policy"] = policy_name(o.policy);
  plan.rationale["posterior_samples"] = in.reward_model.samples();
  plan.rationale["candidate_plans"] = n;
  const learn::RewardModel& m = in.reward_model;
  plan.rationale["evidence"] = {{"topic", evidence_json(m, "topic", plan.topic)},
                                {"hook", evidence_json(m, "hook", plan.hook)},
                                {"generator", evidence_json(m, "generator", plan.persona)},
                                {"hour", evidence_json(m, "hour", std::to_string(plan.hour))}};
  if (in.pooled_prior.accounts > 0) {
    // Where the plan started from: the other accounts' effects it pooled, the strongest first.
    nlohmann::json strongest = nlohmann::json::array();
    for (const auto& [name, mean] : in.pooled_prior.strongest(5)) {
      const learn::PooledEffect& e = in.pooled_prior.effects.at(name);
      strongest.push_back({{"feature", name},
                           {"prior_mean", std::round(mean * 1e4) / 1e4},
                           {"accounts", e.accounts},
                           {"own_posts", m.evidence(name).posts}});
    }
    plan.rationale["pooled_prior"] = {{"accounts", in.pooled_prior.accounts},
                                      {"features", in.pooled_prior.effects.size()},
                                      {"strongest", strongest}};
  }
  return plan;
}

}  // namespace gl::plan
