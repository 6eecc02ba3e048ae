#include "jobs/extract_formulas.h"

#include "core/error.h"
#include "core/json_lines.h"
#include "db/connection.h"
#include "jobs/learning_data.h"

namespace gl::jobs {

namespace {

using learn::FormulaObservation;

Json opt_json(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

// Our own successful posts of a format, against the median of all our gated posts.
void own_posts(pqxx::transaction_base& t, const LearningScope& scope,
               std::vector<FormulaObservation>& out) {
  const auto rows = LearningQuery(scope).exec(
      t,
      "SELECT g.tweet_id, g.content, g.generator_name, g.impressions::float8, g.engagement_rate, "
      "  g.followers_gained, "
      "  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ln(impressions)) FROM gated) "
      "FROM gated g WHERE g.success");
  for (const auto& r : rows) {
    FormulaObservation o;
    o.tweet_id = r[0].as<std::string>();
    o.text = r[1].as<std::string>();
    o.source = learn::kSourceOwn;
    o.generator = r[2].as<std::string>();
    o.views = r[3].as<double>();
    o.engagement_rate = db::optional_double(r[4]);
    o.followers_gained = db::optional_double(r[5]);
    o.baseline_log_views = r[6].as<double>();
    out.push_back(std::move(o));
  }
}

// Outside posts: the top ones of a table, each against its pool's median.
// Columns: tweet id, text, views, engagement rate, baseline ln(views), generator, followers.
void outside_posts(pqxx::transaction_base& t, const std::string& sql, long long account_id,
                   const char* source, std::vector<FormulaObservation>& out) {
  for (const auto& r : t.exec_params(sql, account_id)) {
    FormulaObservation o;
    o.tweet_id = r[0].as<std::string>();
    o.text = r[1].as<std::string>();
    o.source = source;
    o.views = r[2].as<double>();
    o.engagement_rate = db::optional_double(r[3]);
    o.baseline_log_views = r[4].as<double>();
    if (!r[5].is_null()) o.generator = r[5].as<std::string>();
    o.followers_gained = db::optional_double(r[6]);
    out.push_back(std::move(o));
  }
}

// The median ln(views) of an outside table's posts of this account ($1).
std::string median_log_views_sql(const std::string& table) {
  return "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ln(impressions)) FROM " + table +
         " WHERE account_id = $1 AND impressions > 0)";
}

std::vector<FormulaObservation> observations(pqxx::transaction_base& t,
                                             const LearningScope& scope) {
  std::vector<FormulaObservation> out;
  own_posts(t, scope, out);
  if (scope.format == "reply") {
    // Viral replies: 10K-100K views.
    outside_posts(t,
                  "SELECT r.tweet_id, r.content, r.impressions::float8, " +
                      engagement_rate_sql("r") + ", " + median_log_views_sql("reply_metrics") +
                      ", r.generator_name, r.followers_gained FROM reply_metrics r "
                      "WHERE r.account_id = $1 AND r.impressions BETWEEN 10000 AND 100000",
                  scope.account_id, learn::kSourceViralReply, out);
  } else if (scope.format == "single") {
    // vi_tweets that were successful by our own definition.
    outside_posts(t,
                  "SELECT v.tweet_id, v.content, v.impressions::float8, " +
                      engagement_rate_sql("v") + ", " + median_log_views_sql("vi_tweets") +
                      ", NULL::text, NULL::float8 FROM vi_tweets v "
                      "WHERE v.account_id = $1 AND " +
                      meets_success_sql("v"),
                  scope.account_id, learn::kSourceVi, out);
    // Each peer's top fifth by views, against that peer's median.
    outside_posts(
        t,
        "SELECT p.tweet_id, p.content, p.impressions::float8, p.er, b.base, NULL::text, "
        "NULL::float8 FROM (SELECT q.tweet_id, q.content, q.impressions, q.peer_handle, " +
            engagement_rate_sql("q") +
            " AS er, percent_rank() OVER (PARTITION BY q.peer_handle ORDER BY q.impressions) AS pr "
            "  FROM peer_posts q WHERE q.account_id = $1 AND q.impressions > 0) p "
            "JOIN (SELECT peer_handle, percentile_cont(0.5) WITHIN GROUP (ORDER BY "
            "ln(impressions)) AS base "
            "  FROM peer_posts WHERE account_id = $1 AND impressions > 0 GROUP BY 1) b USING "
            "(peer_handle) "
            "WHERE p.pr >= 0.8",
        scope.account_id, learn::kSourcePeer, out);
  }
  return out;
}

void store(pqxx::work& w, long long account_id, const std::string& format,
           const std::vector<learn::ViralFormula>& fs, const std::string& now) {
  w.exec_params0("DELETE FROM viral_formulas WHERE account_id = $1 AND format = $2", account_id,
                 format);
  for (const auto& f : fs) {
    w.exec_params0(
        "INSERT INTO viral_formulas (account_id, formula_key, format, name, structure, example, "
        "hook_type, "
        "  body_pattern, length_band, has_numbers, has_cta, sources, generators, sample_size, "
        "avg_views, "
        "  avg_engagement_rate, followers_per_1000_views, confidence, updated_at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::text[], $13::text[], $14, $15, "
        "$16, $17, $18, $19)",
        account_id, f.key, format, f.name, f.structure, f.example, f.hook, f.body_pattern,
        f.length_band, f.has_numbers, f.has_cta,
        db::to_pg_array({f.sources.begin(), f.sources.end()}),
        db::to_pg_array({f.generators.begin(), f.generators.end()}), f.sample_size, f.avg_views,
        f.avg_engagement_rate, f.followers_per_1000_views, f.confidence, now);
  }
}

// A formula in the seed's shape.
Json formula_json(const learn::ViralFormula& f) {
  return {{"name", f.name},
          {"structure", f.structure},
          {"example", f.example},
          {"example_tweet_id", f.example_tweet_id},
          {"hook", f.hook},
          {"sources", f.sources},
          {"generators", f.generators},
          {"performance",
           {{"avgViews", f.avg_views},
            {"avgEngagementRate", opt_json(f.avg_engagement_rate)},
            {"followerConversion", opt_json(f.followers_per_1000_views)},
            {"sampleSize", f.sample_size},
            {"score", f.score},
            {"confidence", f.confidence}}}};
}

}  // namespace

std::map<std::string, std::vector<learn::ViralFormula>> refresh_formulas(db::AccountRun& run) {
  const std::string now = format_iso8601(run.now);
  std::map<std::string, std::vector<learn::ViralFormula>> out;
  pqxx::work w(run.conn);
  for (const std::string format : kFormats) {
    const LearningScope scope{run.account.id, run.now, format};
    run.stats["gates"][format] = gate_report(w, scope);
    const auto obs = observations(w, scope);
    out[format] = learn::extract_formulas(obs);
    if (!run.ctx.common.dry_run) store(w, run.account.id, format, out[format], now);
  }
  w.commit();
  return out;
}

int extract_formulas(db::AccountRun& run, const ExtractFormulasOptions& options) {
  if (!options.generator.empty()) {
    // An unknown persona would print nothing and look like "no formulas yet".
    pqxx::read_transaction t(run.conn);
    const auto r = t.exec_params1(
        "SELECT bool_or(generator_name = $1), string_agg(generator_name, ', ' ORDER BY "
        "generator_name) FROM generators",
        options.generator);
    if (!r[0].as<bool>(false)) {
      throw usage_error("--generator \"" + options.generator + "\"",
                        "no such persona; known: " + r[1].as<std::string>(""));
    }
  }
  const auto all = refresh_formulas(run);
  long long printed = 0, total = 0;
  for (const auto& [format, formulas] : all) {
    total += static_cast<long long>(formulas.size());
    for (const auto& f : formulas) {
      if (!options.generator.empty() && !f.generators.count(options.generator)) continue;
      Json j = formula_json(f);
      j["format"] = format;
      emit(j);
      ++printed;
    }
  }
  run.stats["formulas"] = total;
  run.stats["printed"] = printed;
  return 0;
}

}  // namespace gl::jobs
