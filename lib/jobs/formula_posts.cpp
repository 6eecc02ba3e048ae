#include "jobs/formula_posts.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/md5.h"
#include "db/connection.h"
#include "jobs/post_text.h"

namespace gl::jobs {

namespace {

// The median of ln(views) over the gated posts, as percentile_cont(0.5) gives it.
double median_log_views(std::vector<double> logs) {
  if (logs.empty()) return 0;
  std::sort(logs.begin(), logs.end());
  const double at = 0.5 * static_cast<double>(logs.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(at));
  const size_t hi = static_cast<size_t>(std::ceil(at));
  return logs[lo] + (at - static_cast<double>(lo)) * (logs[hi] - logs[lo]);
}

// Every post of the scope: its gates' verdict, views and what the formulas
// read of a successful post. posts' success is an expression, not a column:
// each CASE on it (to send less of the other posts) evaluated it again, and
// took longer than sending them.
std::string scope_posts_sql() {
  return "SELECT p.gate_failure, p.success, p.impressions::float8, p.tweet_id, "
         "p.decision_id::text, p.content, coalesce(" +
         persona_sql("p") +
         ", ''), p.engagement_rate, p.followers_gained, extract(epoch FROM p.posted_at)::float8 "
         "FROM posts p";
}

// The formats of kFormats with posts by scope.now, one index probe each: a
// format without any needs no statement of its own.
std::set<std::string> formats_with_posts(pqxx::transaction_base& t, long long account_id,
                                         TimePoint now) {
  std::set<std::string> out;
  for (const auto& r : t.exec_params(
           "SELECT f.format FROM unnest($3::text[]) f(format) WHERE EXISTS (SELECT 1 FROM "
           "learning_posts lp WHERE lp.account_id = $1 AND lp.format = f.format "
           "AND lp.posted_at <= $2::timestamptz)",
           account_id, format_iso8601(now),
           db::to_pg_array({std::begin(kFormats), std::end(kFormats)}))) {
    out.insert(r[0].as<std::string>());
  }
  return out;
}

}  // namespace

FormulaPosts read_formula_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                long long no_metrics, std::vector<FormulaPostKey>& keys) {
  const auto rows = LearningQuery(scope).exec(t, scope_posts_sql());
  std::map<std::string, long long> failed;
  std::vector<double> logs;
  // The successful posts oldest first (posted_at, tweet_id), sorted here: tweet
  // ids are digits only, as text they order as the database orders them.
  std::vector<std::tuple<double, std::string, int>> order;
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const auto r = rows[i];
    if (!r[0].is_null()) {
      ++failed[r[0].as<std::string>()];
      continue;
    }
    logs.push_back(std::log(db::as_double(r[2])));
    if (r[1].as<bool>()) order.emplace_back(db::as_double(r[9]), r[3].as<std::string>(), i);
  }
  std::sort(order.begin(), order.end());
  FormulaPosts out;
  out.gates = gate_report(static_cast<long long>(logs.size()), failed, no_metrics);
  const double median = median_log_views(std::move(logs));
  out.own.reserve(order.size());
  keys.clear();
  keys.reserve(order.size());
  for (auto& [at, tweet_id, i] : order) {
    const auto r = rows[i];
    learn::FormulaObservation o;
    o.tweet_id = std::move(tweet_id);
    o.text = r[5].as<std::string>();
    o.source = learn::kSourceOwn;
    o.generator = r[6].as<std::string>();
    o.views = db::as_double(r[2]);
    o.engagement_rate = db::optional_double(r[7]);
    o.followers_gained = db::optional_double(r[8]);
    o.baseline_log_views = median;
    keys.push_back({r[4].as<std::string>(), md5_hex(o.text)});
    out.own.push_back(std::move(o));
  }
  return out;
}

std::map<std::string, FormulaPosts> read_formula_posts(db::AccountRun& run, long long& analysed) {
  std::map<std::string, FormulaPosts> out;
  std::map<std::string, std::vector<FormulaPostKey>> keys;
  std::unordered_map<std::string, StoredPostText> stored;
  {
    pqxx::read_transaction t(run.conn);
    const auto no_metrics = posts_without_metrics(t, run.account.id);
    const auto with_posts = formats_with_posts(t, run.account.id, run.now);
    bool successes = false;
    for (const std::string format : kFormats) {
      const auto n = no_metrics.find(format);
      const long long none_yet = n == no_metrics.end() ? 0 : n->second;
      if (!with_posts.count(format)) {
        out[format].gates = gate_report(0, {}, none_yet);
        continue;
      }
      out[format] =
          read_formula_posts(t, {run.account.id, run.now, format}, none_yet, keys[format]);
      successes = successes || !out[format].own.empty();
    }
    if (successes) stored = stored_post_texts(t, run.account.id);
    t.commit();
  }
  // A post's stored analysis is its own while the md5 of its content agrees.
  struct Unknown {
    FormulaPosts* posts;
    size_t i;
    const FormulaPostKey* key;
    std::optional<learn::TextFeatures> text;
    bool unavailable_notice = false;
  };
  std::vector<Unknown> unknown;
  for (auto& [format, posts] : out) {
    const auto& ks = keys[format];
    posts.known.reserve(posts.own.size());
    for (size_t i = 0; i < posts.own.size(); ++i) {
      const auto s = stored.find(ks[i].decision_id);
      if (s != stored.end() && s->second.content_md5 == ks[i].content_md5) {
        posts.known[posts.own[i].tweet_id] = {std::move(s->second.text.features),
                                              s->second.text.unavailable_notice};
      } else {
        unknown.push_back({&posts, i, &ks[i], std::nullopt, false});
      }
    }
  }
  std::vector<UnanalysedPost> unanalysed;
  unanalysed.reserve(unknown.size());
  for (auto& u : unknown) {
    unanalysed.push_back({u.key->decision_id, u.posts->own[u.i].text, u.key->content_md5, &u.text,
                          &u.unavailable_notice});
  }
  analysed = store_post_texts(run, unanalysed);
  for (auto& u : unknown) {
    if (u.text)
      u.posts->known[u.posts->own[u.i].tweet_id] = {std::move(*u.text), u.unavailable_notice};
  }
  return out;
}

FormulaPosts formula_posts(FormatRead&& read) {
  FormulaPosts out;
  out.gates = std::move(read.gates);
  std::vector<double> logs;
  size_t successes = 0;
  for (const auto& p : read.posts) {
    if (p.gated()) logs.push_back(std::log(static_cast<double>(*p.post.metrics.impressions)));
    successes += p.success;
  }
  const double median = median_log_views(std::move(logs));
  out.own.reserve(successes);
  out.known.reserve(successes);
  for (auto& p : read.posts) {
    if (!p.success) continue;
    learn::FormulaObservation o;
    o.tweet_id = std::move(p.post.tweet_id);
    o.text = std::move(p.post.content);
    o.source = learn::kSourceOwn;
    if (p.post.generator != kImportedGenerator) o.generator = std::move(p.post.generator);
    o.views = static_cast<double>(*p.post.metrics.impressions);
    o.engagement_rate = p.post.engagement_rate;
    o.followers_gained = p.post.metrics.followers_gained;
    o.baseline_log_views = median;
    if (p.post.text) out.known[o.tweet_id] = {std::move(*p.post.text), p.post.unavailable_notice};
    out.own.push_back(std::move(o));
  }
  return out;
}

}  // namespace gl::jobs
