#include "learn/formulas.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "learn/stats.h"

namespace gl::learn {

std::string formula_key(const TextFeatures& f) {
  std::string body;
  for (const auto& b : f.body) body += (body.empty() ? "" : "+") + b;
  return std::string(hook_name(f.hook)) + "|" + body + "|" + f.length_band + "|" +
         (f.has_numbers ? "numbers" : "no_numbers");
}

std::vector<std::string> generators_for_hook(HookType h) {
  switch (h) {
    case HookType::kSurprisingStat:
      return {"dataNerd", "investigator", "interestingContent", "newsReporter"};
    case HookType::kContrarian:
      return {"contrarian", "provocateur", "thoughtLeader"};
    case HookType::kQuestion:
      return {"provocateur", "philosopher", "explorer"};
    case HookType::kPersonalStory:
      return {"storyteller", "experimenter", "culturalBridge"};
    case HookType::kList:
      return {"pragmatist", "teacher", "patternFinder"};
    case HookType::kHowTo:
      return {"coach", "teacher", "translator"};
    case HookType::kMythBusting:
      return {"mythBuster", "contrarian", "historian"};
    case HookType::kStatement:
      return {"philosopher", "connector", "dynamicContent", "popCultureAnalyst"};
  }
  return {};
}

std::vector<ViralFormula> extract_formulas(const std::vector<FormulaObservation>& observations) {
  struct Group {
    ViralFormula f;
    std::vector<double> lift;  // ln(views) - source baseline
    double views = 0, er_sum = 0, er_n = 0, followers = 0, follower_views = 0;
    double best_lift = -1e300;
  };
  std::map<std::string, Group> groups;
  for (const auto& o : observations) {
    if (o.views <= 0) continue;
    const TextFeatures t = analyze_text(o.text);
    Group& g = groups[formula_key(t)];
    ViralFormula& f = g.f;
    if (f.sample_size == 0) {
      f.key = formula_key(t);
      f.hook = hook_name(t.hook);
      for (const auto& b : t.body) f.body_pattern += (f.body_pattern.empty() ? "" : " + ") + b;
      f.length_band = t.length_band;
      f.has_numbers = t.has_numbers;
      f.has_cta = t.has_cta;
      f.structure = structure_string(t);
      f.name =
          std::string(hook_label(t.hook)) + " + " + f.body_pattern + " (" + t.length_band + ")";
      for (const auto& gen : generators_for_hook(t.hook)) f.generators.insert(gen);
    }
    ++f.sample_size;
    f.sources.insert(o.source);
    if (!o.generator.empty()) f.generators.insert(o.generator);
    const double lift = std::log(o.views) - o.baseline_log_views;
    g.lift.push_back(lift);
    g.views += o.views;
    if (o.engagement_rate) {
      g.er_sum += *o.engagement_rate;
      g.er_n += 1;
    }
    if (o.followers_gained) {
      g.followers += *o.followers_gained;
      g.follower_views += o.views;
    }
    if (lift > g.best_lift) {
      g.best_lift = lift;
      f.example = o.text;
      f.example_tweet_id = o.tweet_id;
    }
  }
  // Pooled spread of lifts, for every formula's posterior.
  std::vector<double> all;
  for (const auto& [k, g] : groups) all.insert(all.end(), g.lift.begin(), g.lift.end());
  const double noise_var = std::max(0.05, variance(all));
  std::vector<ViralFormula> out;
  for (auto& [k, g] : groups) {
    ViralFormula f = g.f;
    f.avg_views = g.views / f.sample_size;
    if (g.er_n > 0) f.avg_engagement_rate = g.er_sum / g.er_n;
    if (g.follower_views > 0) f.followers_per_1000_views = 1000.0 * g.followers / g.follower_views;
    double sum = 0;
    for (double l : g.lift) sum += l;
    const NormalPosterior p =
        normal_posterior(sum, static_cast<double>(g.lift.size()), 0, noise_var, kPriorWeight);
    f.score = p.mean;
    f.confidence = prob_above(p, 0);
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), [](const ViralFormula& a, const ViralFormula& b) {
    return a.score != b.score ? a.score > b.score : a.key < b.key;
  });
  return out;
}

}  // namespace gl::learn
