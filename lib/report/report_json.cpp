// report --format json: the same data as the HTML page, section by section.
#include <optional>

#include "report/report_data.h"

namespace gl::report {

namespace {

template <typename T>
Json opt(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json missing_json(const std::string& m) { return m.empty() ? Json(nullptr) : Json(m); }

}  // namespace

Json to_json(const Report& r) {
  Json curve = {{"weeks", Json::array()},
                {"estimates", Json::array()},
                {"estimates_note", r.curve.estimates_note},
                {"missing", missing_json(r.curve.missing)}};
  for (const auto& w : r.curve.weeks)
    curve["weeks"].push_back({{"week_start", w.week_start},
                              {"posts", w.posts},
                              {"mean_reward", w.mean_reward},
                              {"interval", w.low && w.high ? Json{*w.low, *w.high} : Json()}});
  for (const auto& p : r.curve.estimates)
    curve["estimates"].push_back({{"policy", p.policy},
                                  {"estimator", p.estimator},
                                  {"value", opt(p.value)},
                                  {"interval", {opt(p.low), opt(p.high)}},
                                  {"warning", p.warning}});

  Json when = {{"timezone", r.when.timezone},
               {"account_mean_reward", opt(r.when.account_mean)},
               {"best_posting_hours", r.when.best_hours},
               {"cells", Json::array()},
               {"missing", missing_json(r.when.missing)}};
  for (const auto& c : r.when.cells)
    when["cells"].push_back({{"weekday", c.weekday},
                             {"hour", c.hour},
                             {"posts", c.posts},
                             {"mean_reward", c.mean_reward},
                             {"effect", c.effect},
                             {"confidence", c.confidence},
                             {"sufficient", c.sufficient}});

  Json works = {{"summary_at", r.works.summary_at.empty() ? Json() : Json(r.works.summary_at)},
                {"posts_used", r.works.posts_used},
                {"posts_skipped", r.works.posts_skipped},
                {"account_mean_reward", opt(r.works.account_mean_reward)},
                {"formulas_learned", r.works.formulas_learned},
                {"stale", r.works.stale.empty() ? Json() : Json(r.works.stale)},
                {"families", Json::object()},
                {"missing", missing_json(r.works.missing)}};
  for (const auto& f : r.works.families) {
    Json items = Json::array();
    for (const auto& i : f.items) {
      Json j = {{"key", i.key},
                {"posts", i.posts},
                {"effect", i.effect},
                {"interval", {i.low, i.high}},
                {"confidence", i.confidence},
                {"evidence", i.sufficient ? "ranked" : "insufficient_evidence"}};
      if (i.engagement_rate) j["mean_engagement_rate"] = *i.engagement_rate;
      if (!i.example.empty()) j["example"] = i.example;
      if (!i.structure.empty()) j["structure"] = i.structure;
      items.push_back(j);
    }
    works["families"][f.family] = items;
  }

  Json followers = {{"series", Json::array()},
                    {"attributed_total", r.followers.attributed_total},
                    {"mean_confidence", r.followers.mean_confidence},
                    {"top_posts", Json::array()},
                    {"drivers", Json::array()},
                    {"missing", missing_json(r.followers.missing)}};
  for (const auto& p : r.followers.series)
    followers["series"].push_back({{"at", p.at}, {"followers", p.followers}});
  for (const auto& p : r.followers.top_posts)
    followers["top_posts"].push_back({{"tweet_id", p.tweet_id},
                                      {"content", p.content},
                                      {"topic", p.topic},
                                      {"followers_gained", p.followers_gained},
                                      {"confidence", p.confidence},
                                      {"windows", p.windows}});
  for (const auto& d : r.followers.drivers)
    followers["drivers"].push_back({{"by", d.dimension},
                                    {"key", d.key},
                                    {"posts", d.posts},
                                    {"followers_per_1000_views", d.per_1000_views}});

  Json predictor = {
      {"version", opt(r.predictor.version)},
      {"trained_at", r.predictor.trained_at.empty() ? Json() : Json(r.predictor.trained_at)},
      {"used_for_planning", r.predictor.used_for_planning},
      {"targets", Json::array()},
      {"views", Json::array()},
      {"missing", missing_json(r.predictor.missing)}};
  for (const auto& t : r.predictor.targets) {
    Json j = {{"target", t.target}, {"trained", t.trained}};
    if (t.trained) {
      j.update({{"train_samples", t.train_samples},
                {"holdout_samples", t.holdout_samples},
                {"holdout_rmse", t.holdout_rmse},
                {"baseline_rmse", t.baseline_rmse},
                {"beats_mean", t.beats_mean},
                {"holdout_spearman", t.spearman},
                {"holdout_r2", t.r2}});
    } else {
      j["reason"] = t.reason;
    }
    predictor["targets"].push_back(j);
  }
  for (const auto& v : r.predictor.views)
    predictor["views"].push_back({{"predicted", v.predicted}, {"actual", v.actual}});
  predictor["engagement_rates"] = Json::array();
  for (const auto& v : r.predictor.engagement_rates)
    predictor["engagement_rates"].push_back({{"predicted", v.predicted}, {"actual", v.actual}});

  Json queue = {{"posts", Json::array()}, {"missing", missing_json(r.queue.missing)}};
  for (const auto& p : r.queue.posts) {
    Json choices = Json::array();
    for (const auto& c : p.choices)
      choices.push_back({{"family", c.family}, {"chosen", c.chosen}, {"p", c.p}});
    queue["posts"].push_back({{"scheduled_at", p.scheduled_at},
                              {"local_slot", p.local_slot},
                              {"content", p.content},
                              {"topic", p.topic},
                              {"persona", p.persona},
                              {"hook", p.hook},
                              {"formula", p.formula},
                              {"policy", p.policy},
                              {"choices", choices},
                              {"plan_p", opt(p.plan_p)},
                              {"predicted_views", opt(p.predicted_views)},
                              {"predicted_engagement_rate", opt(p.predicted_engagement)}});
  }

  Json operations = {{"tools", Json::array()},
                     {"usage_recorded", r.operations.usage_recorded},
                     {"spend", Json::array()},
                     {"spend_missing", missing_json(r.operations.spend_missing)},
                     {"missing", missing_json(r.operations.missing)}};
  for (const auto& t : r.operations.tools)
    operations["tools"].push_back(
        {{"tool", t.tool},
         {"runs", t.runs},
         {"failures", t.failures},
         {"last_ok_at", t.last_ok_at.empty() ? Json() : Json(t.last_ok_at)},
         {"last_failure_at", t.last_failure_at.empty() ? Json() : Json(t.last_failure_at)},
         {"last_exit_code", opt(t.last_exit_code)},
         {"last_error", t.last_error.empty() ? Json() : Json(t.last_error)}});
  for (const auto& d : r.operations.spend)
    operations["spend"].push_back(
        {{"day", d.day}, {"requests", d.requests}, {"resources", d.resources}, {"usd", d.usd}});

  return {{"account", r.handle},     {"timezone", r.timezone}, {"at", r.generated_at},
          {"learning_curve", curve}, {"when_to_post", when},   {"what_works", works},
          {"followers", followers},  {"predictor", predictor}, {"what_comes_next", queue},
          {"operations", operations}};
}

}  // namespace gl::report
