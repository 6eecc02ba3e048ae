#include "jobs/learning_sql.h"

#include <fmt/format.h>

#include "core/hash.h"
#include "db/connection.h"

namespace gl::jobs {

namespace {

using learn::GateFailure;
using learn::kGates;

// The condition a row passes each check by (NULL-safe only after the checks before it).
std::string passes_sql(GateFailure f, const std::string& a, const std::string& now) {
  switch (f) {
    case GateFailure::kUnavailable:
      return a + ".available";
    case GateFailure::kViewsUnknown:
      return a + ".impressions IS NOT NULL";
    case GateFailure::kViewsLow:
      return fmt::format("{}.impressions >= {}", a, kGates.min_views);
    case GateFailure::kLikesUnknown:
      return a + ".likes IS NOT NULL";
    case GateFailure::kLikesLow:
      return fmt::format("{}.likes >= {}", a, kGates.min_likes);
    case GateFailure::kYoung:
      return fmt::format("{}.posted_at <= {} - make_interval(secs => {})", a, now,
                         kGates.min_age_hours * 3600);
  }
  return "false";
}

// The row passes every check (never NULL: the known-ness checks come first).
// Written as plain conditions, so the planner can estimate how many rows pass.
std::string passes_gates_sql(const std::string& a, const std::string& now) {
  std::string out;
  for (GateFailure f : learn::kGateFailures) {
    out += (out.empty() ? "(" : " AND ") + passes_sql(f, a, now);
  }
  return out + ")";
}

// The first check a row fails, as learn::evaluate_gates names it; NULL when it passes all.
std::string gate_failure_sql(const std::string& a, const std::string& now) {
  std::string out = "CASE";
  for (GateFailure f : learn::kGateFailures) {
    out +=
        fmt::format(" WHEN NOT ({}) THEN '{}'", passes_sql(f, a, now), learn::gate_failure_name(f));
  }
  return out + " END";
}

std::string prior_sql() {
  std::string columns;
  for (const auto& action : learn::kRewardActions) {
    columns += fmt::format(
        "{0}coalesce(sum(greatest(g.{1}, 0))::float8 / nullif(sum(g.impressions) FILTER (WHERE "
        "g.{1} IS NOT NULL), 0), 0) AS {1}",
        columns.empty() ? "" : ", ", action.name);
  }
  return "SELECT " + columns + " FROM gated g";
}

}  // namespace

std::string engagement_rate_sql(const std::function<std::string(const char* column)>& c) {
  return fmt::format(
      "(CASE WHEN {0} > 0 THEN ({1} + {2} + {3} + coalesce({4}, 0) + coalesce({5}, 0))::float8 / "
      "{0} END)",
      c("impressions"), c("likes"), c("retweets"), c("replies"), c("quotes"), c("bookmarks"));
}

std::string engagement_rate_sql(const std::string& a) {
  return engagement_rate_sql([&a](const char* column) { return a + "." + column; });
}

std::string meets_success_sql(const std::string& a) {
  return fmt::format("coalesce({} >= {}::float8 OR {}.impressions >= {}, false)",
                     engagement_rate_sql(a), learn::kSuccess.min_engagement_rate, a,
                     learn::kSuccess.min_views);
}

std::string reward_sql(const std::string& a) {
  const std::string imp = fmt::format("greatest(coalesce({}.impressions, 0), 0)::float8", a);
  std::string terms;
  for (const auto& action : learn::kRewardActions) {
    // An unknown count is taken at the account's rate (learn::post_reward).
    terms += fmt::format(
        "{0}{1}::float8 * (CASE WHEN {2}.{3} IS NULL THEN prior.{3} * ({5} + {4}::float8) "
        "ELSE greatest({2}.{3}, 0) + {4}::float8 * prior.{3} END)",
        terms.empty() ? "" : " + ", action.weight, a, action.name, learn::kPseudoImpressions, imp);
  }
  return fmt::format("ln(1 + {0} * ({1}) / ({0} + {2}::float8))", imp, terms,
                     learn::kPseudoImpressions);
}

std::string persona_sql(const std::string& a) {
  return fmt::format("nullif({}.generator_name, '{}')", a, kImportedGenerator);
}

std::string counts_sql(const std::string& a) {
  return fmt::format(
      "{0}.impressions, {0}.likes, {0}.retweets, {0}.replies, {0}.quotes, {0}.bookmarks, "
      "{0}.profile_clicks",
      a);
}

learn::PostCounts read_counts(const pqxx::row& r, int first) {
  const auto at = [&](int i) { return db::optional_count(r[first + i]); };
  learn::PostCounts c;
  c.impressions = at(0);
  c.likes = at(1);
  c.retweets = at(2);
  c.replies = at(3);
  c.quotes = at(4);
  c.bookmarks = at(5);
  c.profile_clicks = at(6);
  return c;
}

LearningQuery::LearningQuery(LearningScope scope) : scope_(std::move(scope)) {}

std::string LearningQuery::bind(long long value) {
  extra_.push_back(std::to_string(value));
  return fmt::format("${}::int8", 3 + extra_.size());
}

void LearningQuery::define(const std::string& name, const std::string& body) {
  defined_ += ", " + name + " AS (" + body + ")";
}

std::string LearningQuery::statement(const std::string& select) const {
  // prior is materialized: one row, read once per row of scored whatever the plan.
  return fmt::format(
      "WITH scope AS NOT MATERIALIZED (SELECT $1::int8 AS account_id, $2::timestamptz AS now, "
      "$3::text AS format), "
      "posts AS NOT MATERIALIZED (SELECT lp.*, {0} AS gate_failure, ({1} AND {2}) AS success "
      "  FROM learning_posts lp, scope WHERE lp.account_id = scope.account_id "
      "  AND lp.format = scope.format AND lp.posted_at <= scope.now), "
      "gated AS NOT MATERIALIZED (SELECT p.* FROM posts p, scope WHERE {3}), "
      "prior AS MATERIALIZED ({4}), "
      "scored AS NOT MATERIALIZED (SELECT g.*, {5} AS reward FROM gated g CROSS JOIN prior){6} "
      "{7}",
      gate_failure_sql("lp", "scope.now"), passes_gates_sql("lp", "scope.now"),
      meets_success_sql("lp"), passes_gates_sql("p", "scope.now"), prior_sql(), reward_sql("g"),
      defined_, select);
}

pqxx::result LearningQuery::exec(pqxx::transaction_base& t, const std::string& select) const {
  std::vector<std::string> params = {std::to_string(scope_.account_id), format_iso8601(scope_.now),
                                     scope_.format};
  params.insert(params.end(), extra_.begin(), extra_.end());
  // Prepared under a name its text gives: a session that serves account after
  // account (an --all-accounts worker) plans each statement once, not per run.
  const std::string sql = statement(select);
  const std::string name = fmt::format("learning_{:016x}", fnv1a64(sql));
  t.conn().prepare(name, sql);
  return t.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
}

}  // namespace gl::jobs
