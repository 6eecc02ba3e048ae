#include "jobs/evaluate_policy.h"

#include <algorithm>

#include "core/error.h"

namespace gl::jobs {

namespace {

// plan-post's Thompson policy keeps a 1% uniform floor over all plans.
constexpr double kThompsonFloor = 0.01;

std::vector<std::string> keys_of(const nlohmann::json& family) {
  std::vector<std::string> out;
  for (const auto& [k, v] : family.at("distribution").items()) out.push_back(k);
  return out;
}

double parse_number(const std::string& spec, const std::string& text, double lo, double hi) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size() && v >= lo && v <= hi) return v;
  } catch (const std::exception&) {
  }
  throw usage_error("--policy " + spec, "\"" + text + "\" is not a number in [" +
                                            std::to_string(lo).substr(0, 3) + ", " +
                                            std::to_string(hi).substr(0, 3) + "]");
}

}  // namespace

std::optional<LoggedContext> logged_context(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("plan") || !j["plan"].is_object() || !j["plan"].contains("p") ||
      !j["plan"]["p"].is_number()) {
    return std::nullopt;
  }
  for (const char* f : {"topic", "hook", "generator", "hour"}) {
    if (!j.contains(f) || !j[f].is_object() || !j[f].contains("distribution") ||
        !j[f].contains("chosen") || !j[f]["distribution"].is_object()) {
      return std::nullopt;
    }
  }
  LoggedContext c;
  c.topics = keys_of(j["topic"]);
  c.hooks = keys_of(j["hook"]);
  c.personas = keys_of(j["generator"]);
  for (const auto& h : keys_of(j["hour"])) c.hours.push_back(std::stoi(h));
  c.p_branch = 0;
  for (const auto& [k, v] : j["topic"]["distribution"].items()) c.p_branch += v.get<double>();
  c.p_branch = std::clamp(c.p_branch, 1e-9, 1.0);
  c.logged = {j["topic"]["chosen"].get<std::string>(), j["hook"]["chosen"].get<std::string>(),
              j["generator"]["chosen"].get<std::string>(),
              std::stoi(j["hour"]["chosen"].get<std::string>())};
  c.logged_p = j["plan"]["p"].get<double>();
  return c;
}

TargetPolicy parse_target_policy(const std::string& spec, double default_exploration) {
  TargetPolicy p;
  p.spec = spec;
  p.exploration = default_exploration;
  const auto colon = spec.find(':');
  const std::string name = spec.substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (name == "logged" && arg.empty()) {
    p.kind = PolicyKind::kLogged;
  } else if (name == "random" && arg.empty()) {
    p.kind = PolicyKind::kRandom;
  } else if (name == "greedy" && arg.empty()) {
    p.kind = PolicyKind::kGreedy;
  } else if (name == "epsilon") {
    p.kind = PolicyKind::kEpsilon;
    if (!arg.empty()) p.epsilon = parse_number(spec, arg, 0, 1);
  } else if (name == "thompson") {
    p.kind = PolicyKind::kThompson;
    if (!arg.empty()) p.exploration = parse_number(spec, arg, 0, 2);
  } else if (name == "fixed" && !arg.empty()) {
    p.kind = PolicyKind::kFixed;
    size_t at = 0;
    while (at <= arg.size()) {
      const size_t comma = std::min(arg.find(',', at), arg.size());
      const std::string pair = arg.substr(at, comma - at);
      const size_t eq = pair.find('=');
      const std::string family = pair.substr(0, eq);
      if (eq == std::string::npos || eq + 1 == pair.size() ||
          (family != "topic" && family != "hook" && family != "persona" && family != "hour")) {
        throw usage_error("--policy " + spec,
                          "expected fixed:FAMILY=KEY,... with families topic, hook, persona, hour");
      }
      std::string key = pair.substr(eq + 1);
      if (family == "hour") key = std::to_string(static_cast<int>(parse_number(spec, key, 0, 23)));
      if (family == "topic") std::transform(key.begin(), key.end(), key.begin(), ::tolower);
      p.fixed[family] = key;
      at = comma + 1;
    }
  } else {
    throw usage_error("--policy " + spec,
                      "expected logged, random, epsilon[:E], greedy, thompson[:SCALE] or "
                      "fixed:topic=...,hour=...");
  }
  return p;
}

PolicyModel::PolicyModel(const learn::RewardModel& model, int draws, std::uint64_t seed)
    : model_(model), draws_(std::max(1, draws)), seed_(seed) {}

double PolicyModel::mean(const learn::FeatureMap& x) const { return model_.mean_score(x); }

std::vector<double> PolicyModel::draw(int d, double scale,
                                      const std::vector<std::string>& names) const {
  // Draw d is the same draw in every context (common random numbers).
  std::mt19937_64 rng(seed_ * 1000003ULL + static_cast<std::uint64_t>(d));
  auto draw = model_.draw(rng, scale);
  std::vector<double> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(draw.coefficient(n));
  return out;
}

size_t ContextPolicy::index(size_t t, size_t h, size_t p, size_t r) const {
  return ((t * c_.hooks.size() + h) * c_.personas.size() + p) * c_.hours.size() + r;
}

PlanChoice ContextPolicy::plan(size_t i) const {
  const size_t r = i % c_.hours.size();
  i /= c_.hours.size();
  const size_t p = i % c_.personas.size();
  i /= c_.personas.size();
  const size_t h = i % c_.hooks.size();
  const size_t t = i / c_.hooks.size();
  return {c_.topics[t], c_.hooks[h], c_.personas[p], c_.hours[r]};
}

std::optional<size_t> ContextPolicy::index_of(const PlanChoice& c) const {
  const auto pos = [](const auto& keys, const auto& key) -> std::optional<size_t> {
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) return std::nullopt;
    return static_cast<size_t>(it - keys.begin());
  };
  const auto t = pos(c_.topics, c.topic), h = pos(c_.hooks, c.hook),
             p = pos(c_.personas, c.persona), r = pos(c_.hours, c.hour);
  if (!t || !h || !p || !r) return std::nullopt;
  return index(*t, *h, *p, *r);
}

ContextPolicy::ContextPolicy(const LoggedContext& context, const TargetPolicy& policy,
                             const PolicyModel& m)
    : c_(context), m_(m) {
  // A habit's key the log never had as a candidate is added, so the policy
  // can choose it (and the log, never having made it, gives it no support).
  for (const auto& [family, key] : policy.fixed) {
    if (family == "topic" && std::find(c_.topics.begin(), c_.topics.end(), key) == c_.topics.end())
      c_.topics.push_back(key);
    if (family == "hook" && std::find(c_.hooks.begin(), c_.hooks.end(), key) == c_.hooks.end())
      c_.hooks.push_back(key);
    if (family == "persona" &&
        std::find(c_.personas.begin(), c_.personas.end(), key) == c_.personas.end())
      c_.personas.push_back(key);
    if (family == "hour" &&
        std::find(c_.hours.begin(), c_.hours.end(), std::stoi(key)) == c_.hours.end())
      c_.hours.push_back(std::stoi(key));
  }
  if (c_.topics.empty() || c_.hooks.empty() || c_.personas.empty() || c_.hours.empty())
    throw failure("choice_probabilities", "a family without candidates");
  const size_t n = c_.topics.size() * c_.hooks.size() * c_.personas.size() * c_.hours.size();
  probs_.assign(n, 0);
  // Each plan's choice features against one list of names; the posterior
  // mean of every plan (the post's own covariates add the same to each).
  std::map<std::string, size_t> name_index;
  for (size_t i = 0; i < n; ++i) {
    const PlanChoice c = plan(i);
    for (const auto& [k, v] : learn::choice_features(c.topic, c.hook, c.persona, c.hour)) {
      const auto [it, added] = name_index.emplace(k, names_.size());
      if (added) names_.push_back(k);
      entries_.emplace_back(it->second, v);
    }
    offsets_.push_back(entries_.size());
  }
  means_ = mean_scores(m_.model());
  switch (policy.kind) {
    case PolicyKind::kLogged:
      break;  // not a distribution over plans: the caller uses the log itself
    case PolicyKind::kRandom:
      std::fill(probs_.begin(), probs_.end(), 1.0 / static_cast<double>(n));
      break;
    case PolicyKind::kFixed: {
      std::vector<size_t> matching;
      for (size_t i = 0; i < n; ++i) {
        const PlanChoice c = plan(i);
        const auto is = [&](const char* f, const std::string& v) {
          const auto it = policy.fixed.find(f);
          return it == policy.fixed.end() || it->second == v;
        };
        if (is("topic", c.topic) && is("hook", c.hook) && is("persona", c.persona) &&
            is("hour", std::to_string(c.hour))) {
          matching.push_back(i);
        }
      }
      for (size_t i : matching) probs_[i] = 1.0 / static_cast<double>(matching.size());
      break;
    }
    case PolicyKind::kGreedy:
    case PolicyKind::kEpsilon: {
      size_t best = 0;
      double top = -1e300;
      for (size_t i = 0; i < n; ++i) {
        if (means_[i] > top) {
          top = means_[i];
          best = i;
        }
      }
      if (policy.kind == PolicyKind::kGreedy) {
        probs_[best] = 1;
        break;
      }
      // Each family: 1 - epsilon on the greedy plan's key, epsilon uniform.
      const PlanChoice g = plan(best);
      const double e = policy.epsilon;
      const auto fam = [e](bool is_best, size_t keys) {
        return (is_best ? 1 - e : 0) + e / static_cast<double>(keys);
      };
      for (size_t i = 0; i < n; ++i) {
        const PlanChoice c = plan(i);
        probs_[i] = fam(c.topic == g.topic, c_.topics.size()) *
                    fam(c.hook == g.hook, c_.hooks.size()) *
                    fam(c.persona == g.persona, c_.personas.size()) *
                    fam(c.hour == g.hour, c_.hours.size());
      }
      break;
    }
    case PolicyKind::kThompson: {
      for (int d = 0; d < m_.draws(); ++d) {
        const std::vector<double> s = scores(m_.draw(d, policy.exploration, names_));
        const auto best = static_cast<size_t>(std::max_element(s.begin(), s.end()) - s.begin());
        probs_[best] += (1 - kThompsonFloor) / m_.draws();
      }
      for (auto& p : probs_) p += kThompsonFloor / static_cast<double>(n);
      break;
    }
  }
}

double ContextPolicy::logged_plan_p() const {
  const auto i = index_of(c_.logged);
  return i ? probs_[*i] * c_.p_branch : 0;
}

std::vector<double> ContextPolicy::scores(const std::vector<double>& coef) const {
  std::vector<double> out(probs_.size(), 0);
  for (size_t i = 0; i < out.size(); ++i) {
    for (size_t e = offsets_[i]; e < offsets_[i + 1]; ++e)
      out[i] += coef[entries_[e].first] * entries_[e].second;
  }
  return out;
}

std::vector<double> ContextPolicy::mean_scores(const learn::RewardModel& model) const {
  std::vector<double> coef;
  coef.reserve(names_.size());
  for (const auto& k : names_) coef.push_back(model.mean_coefficient(k));
  std::vector<double> out = scores(coef);
  const double base = model.mean_score(c_.state);
  for (auto& v : out) v += base;
  return out;
}

double ContextPolicy::model_value(const learn::RewardModel& direct) const {
  const std::vector<double> q = mean_scores(direct);
  double s = 0;
  for (size_t i = 0; i < probs_.size(); ++i) s += probs_[i] * q[i];
  return s;
}

double ContextPolicy::model_logged(const learn::RewardModel& direct) const {
  learn::FeatureMap x =
      learn::choice_features(c_.logged.topic, c_.logged.hook, c_.logged.persona, c_.logged.hour);
  for (const auto& [k, v] : c_.state) x[k] = v;
  return direct.mean_score(x);
}

std::vector<PlanChoice> ContextPolicy::sample(int n, std::mt19937_64& rng) const {
  std::discrete_distribution<size_t> pick(probs_.begin(), probs_.end());
  std::vector<PlanChoice> out;
  for (int k = 0; k < n; ++k) out.push_back(plan(pick(rng)));
  return out;
}

}  // namespace gl::jobs
