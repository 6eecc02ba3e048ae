#include "jobs/extract_formulas.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/json_lines.h"
#include "db/connection.h"
#include "jobs/formula_posts.h"
#include "jobs/learner_watermark.h"
#include "jobs/learning_data.h"

namespace gl::jobs {

namespace {

using learn::FormulaObservation;

Json opt_json(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

// Our viral replies (10K-100K views), against the median of all our replies.
void viral_replies(pqxx::transaction_base& t, long long account_id,
                   std::vector<FormulaObservation>& out) {
  const auto rows = t.exec_params(
      "SELECT r.tweet_id, r.content, r.impressions::float8, " + engagement_rate_sql("r") +
          ", (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ln(impressions)) "
          "   FROM reply_metrics WHERE account_id = $1 AND impressions > 0), "
          "r.generator_name, r.followers_gained FROM reply_metrics r "
          "WHERE r.account_id = $1 AND r.impressions BETWEEN 10000 AND 100000 ORDER BY r.tweet_id",
      account_id);
  for (const auto& r : rows) {
    FormulaObservation o;
    o.tweet_id = r[0].as<std::string>();
    o.text = r[1].as<std::string>();
    o.source = learn::kSourceViralReply;
    o.views = r[2].as<double>();
    o.engagement_rate = db::optional_double(r[3]);
    o.baseline_log_views = r[4].as<double>();
    if (!r[5].is_null()) o.generator = r[5].as<std::string>();
    o.followers_gained = db::optional_double(r[6]);
    out.push_back(std::move(o));
  }
}

// Every row of vi_tweets, then of peer_posts: which ones count is learn's rule.
constexpr const char* kOutsideRows =
    "SELECT * FROM ("
    "  SELECT 'vi_tweets' AS source, v.tweet_id, v.content, v.author_handle, v.author_followers, "
    "    v.impressions, v.likes, v.retweets, v.replies, v.quotes, v.bookmarks "
    "  FROM vi_tweets v WHERE v.account_id = $1 "
    "  UNION ALL SELECT 'peer_posts', p.tweet_id, p.content, p.peer_handle, p.peer_followers, "
    "    p.impressions, p.likes, p.retweets, p.replies, p.quotes, p.bookmarks "
    "  FROM peer_posts p WHERE p.account_id = $1) o "
    "ORDER BY o.source DESC, o.tweet_id COLLATE \"C\"";

void outside_posts(pqxx::transaction_base& t, long long account_id,
                   std::vector<learn::OutsidePost>& out) {
  for (const auto& r : t.exec_params(kOutsideRows, account_id)) {
    learn::OutsidePost p;
    p.source = r[0].as<std::string>();
    p.tweet_id = r[1].as<std::string>();
    p.text = r[2].as<std::string>();
    p.author = r[3].as<std::string>();
    p.author_followers = db::optional_count(r[4]);
    p.counts.impressions = db::optional_count(r[5]);
    p.counts.likes = db::optional_count(r[6]);
    p.counts.retweets = db::optional_count(r[7]);
    p.counts.replies = db::optional_count(r[8]);
    p.counts.quotes = db::optional_count(r[9]);
    p.counts.bookmarks = db::optional_count(r[10]);
    out.push_back(std::move(p));
  }
}

// Our successful posts, the viral replies of a reply and the outside posts of a single post.
learn::FormulaInputs inputs(pqxx::transaction_base& t, const LearningScope& scope,
                            FormulaPosts& own) {
  learn::FormulaInputs in;
  in.own = std::move(own.own);
  in.known_own = std::move(own.known);
  if (scope.format == "reply") viral_replies(t, scope.account_id, in.own);
  // Outside posts are single posts.
  if (scope.format == "single") outside_posts(t, scope.account_id, in.outside);
  return in;
}

Json report_json(const learn::SourceReport& r) {
  return {{"rows", r.rows}, {"used", r.used}, {"skipped", r.skipped}};
}

// "vi_tweets: 400 rows, 35 used; skipped: duplicate_tweet 50, not_successful 300, ..."
std::string report_line(const std::string& source, const learn::SourceReport& r) {
  std::string line = fmt::format(FMT_STRING("{}: {} rows, {} used"), source, r.rows, r.used);
  std::string skipped;
  for (const auto& [why, n] : r.skipped)
    skipped += fmt::format(FMT_STRING("{}{} {}"), skipped.empty() ? "" : ", ", why, n);
  return skipped.empty() ? line : line + "; skipped: " + skipped;
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
          {"key", f.key},
          {"structure", f.structure},
          {"example", f.example},
          {"example_tweet_id", f.example_tweet_id},
          {"hook", f.hook},
          {"sources", f.sources},
          {"generators", f.generators},
          {"performance",
           {{"avgViews", opt_json(f.avg_views)},
            {"avgEngagementRate", opt_json(f.avg_engagement_rate)},
            {"followerConversion", opt_json(f.followers_per_1000_views)},
            {"sampleSize", f.sample_size},
            {"authors", f.authors},
            {"avgLift", f.avg_lift},
            {"score", f.score},
            {"confidence", f.confidence}}}};
}

// Extracts and stores every format's formulas from our posts read by the caller.
std::map<std::string, std::vector<learn::ViralFormula>> store_formulas(
    db::AccountRun& run, std::map<std::string, FormulaPosts> own) {
  const std::string now = format_iso8601(run.now);
  std::map<std::string, std::vector<learn::ViralFormula>> out;
  pqxx::work w(run.conn);
  if (!run.ctx.common.dry_run) db::lock_account_table(w, "viral_formulas", run.account.id);
  for (const std::string format : kFormats) {
    const LearningScope scope{run.account.id, run.now, format};
    FormulaPosts& posts = own.at(format);
    run.stats["gates"][format] = std::move(posts.gates);
    auto result = learn::extract_formulas(inputs(w, scope, posts));
    for (const auto& [source, r] : result.sources) {
      run.stats["sources"][format][source] = report_json(r);
      run.ctx.log.info("{}: {}", format, report_line(source, r));
    }
    out[format] = std::move(result.formulas);
    if (!run.ctx.common.dry_run) store(w, run.account.id, format, out[format], now);
  }
  w.commit();
  return out;
}

}  // namespace

std::map<std::string, std::vector<learn::ViralFormula>> refresh_formulas(
    db::AccountRun& run, std::map<std::string, FormatRead>&& read) {
  std::map<std::string, FormulaPosts> own;
  for (const std::string format : kFormats) own[format] = formula_posts(std::move(read.at(format)));
  return store_formulas(run, std::move(own));
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
  // A persona's formulas are printed from a run of their own: never skipped.
  LearnerWatermark mark(run, options.full || !options.generator.empty());
  if (mark.unchanged()) {
    for (const Json& j : mark.previous_output()) emit(j);
    return 0;
  }
  long long analysed = 0;
  auto own = read_formula_posts(run, analysed);
  run.stats["texts_analysed"] = analysed;
  const auto all = store_formulas(run, std::move(own));
  std::vector<Json> out;
  long long printed = 0, total = 0;
  for (const auto& [format, formulas] : all) {
    total += static_cast<long long>(formulas.size());
    for (const auto& f : formulas) {
      if (!options.generator.empty() && !f.generators.count(options.generator)) continue;
      Json j = formula_json(f);
      j["format"] = format;
      emit(j);
      out.push_back(std::move(j));
      ++printed;
    }
  }
  if (options.generator.empty()) mark.record(out);
  run.stats["formulas"] = total;
  run.stats["printed"] = printed;
  return 0;
}

}  // namespace gl::jobs
