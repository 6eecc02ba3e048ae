#include "jobs/learning_data.h"

#include <algorithm>
#include <tuple>

#include "core/md5.h"
#include "db/connection.h"
#include "db/row_fields.h"
#include "jobs/arms.h"
#include "jobs/post_text.h"
#include "learn/bandit.h"

namespace gl::jobs {

namespace {

// The posts `cm` of content_metadata on X without a learning_posts row yet (no metrics read).
constexpr const char* kNoMetricsYetWhere =
    "cm.status = 'posted' AND NOT EXISTS (SELECT 1 FROM learning_posts lp "
    "  WHERE lp.account_id = cm.account_id AND lp.decision_id = cm.decision_id)";

// Their count in the scope.
std::string no_metrics_yet_sql() {
  return std::string(
             "SELECT 'no_metrics_yet', count(*) FROM content_metadata cm, scope "
             "WHERE cm.account_id = scope.account_id AND cm.format = scope.format AND ") +
         kNoMetricsYetWhere;
}

}  // namespace

Json gate_report(pqxx::transaction_base& t, const LearningScope& scope) {
  Json skipped = Json::object();
  long long used = 0;
  const auto rows = LearningQuery(scope).exec(
      t, std::string("SELECT coalesce(gate_failure, 'used'), count(*) FROM posts GROUP BY 1 "
                     "UNION ALL ") +
             no_metrics_yet_sql());
  for (const auto& r : rows) {
    const auto reason = r[0].as<std::string>();
    const auto n = r[1].as<long long>();
    if (reason == "used") {
      used = n;
    } else if (n > 0) {
      skipped[reason] = n;
    }
  }
  return {{"posts_used", used}, {"posts_skipped", skipped}};
}

std::map<std::string, long long> posts_without_metrics(pqxx::transaction_base& t,
                                                       long long account_id) {
  std::map<std::string, long long> out;
  for (const auto& r : t.exec_params(std::string("SELECT cm.format, count(*) FROM content_metadata "
                                                 "cm WHERE cm.account_id = $1 AND ") +
                                         kNoMetricsYetWhere + " GROUP BY 1",
                                     account_id))
    out[r[0].as<std::string>()] = r[1].as<long long>();
  return out;
}

namespace {

// What load and read_scoped_posts read of a post into a LearnedPost (from
// column 0) over the row `lp`, its stored analysis aside; `spacing` and
// `reward` are expressions of the caller's.
std::string learned_post_columns(const std::string& spacing, const std::string& reward) {
  return "lp.tweet_id, lp.decision_id::text, lp.content, lp.generator_name, "
         "  lp.topic, coalesce(lp.formula_name, ''), coalesce(lp.hook_type, ''), lp.format, "
         "  lp.tags, extract(epoch FROM lp.posted_at)::float8, lp.posted_hour_local, "
         "  lp.posted_weekday_local, " +
         spacing + ", " + counts_sql("lp") + ", lp.followers_gained, lp.engagement_rate, " +
         reward + ", extract(epoch FROM lp.collected_at - lp.posted_at)::float8 / 3600, " +
         "lp.available";
}
constexpr int kLearnedPostColumns = 25;

// Hours since the account's previous post (any format), 24 for its first.
std::string spacing_sql() {
  return "coalesce(extract(epoch FROM lp.posted_at - (SELECT max(p.posted_at) "
         "  FROM content_metadata p WHERE p.account_id = lp.account_id AND p.status = 'posted' "
         "    AND p.posted_at < lp.posted_at)) / 3600, 24)";
}

LearnedPost learned_post(const pqxx::row& r) {
  LearnedPost p;
  p.tweet_id = r[0].as<std::string>();
  p.decision_id = r[1].as<std::string>();
  p.content = r[2].as<std::string>();
  p.generator = r[3].as<std::string>();
  p.topic = r[4].as<std::string>();
  p.formula = r[5].as<std::string>();
  p.hook = r[6].as<std::string>();
  p.format = r[7].as<std::string>();
  p.tags = db::from_pg_array(r[8]);
  p.posted_at = from_epoch_seconds(db::as_double(r[9]));
  p.hour = r[10].as<int>();
  p.weekday = r[11].as<int>();
  p.spacing_hours = db::as_double(r[12]);
  p.metrics = {read_counts(r, 13), db::optional_double(r[20])};
  p.engagement_rate = db::optional_double(r[21]);
  p.reward = db::as_double(r[22]);
  p.age_at_collection_hours = db::as_double(r[23]);
  p.available = r[24].as<bool>();
  return p;
}

// The posts of `relation` (scored: with their reward; posts: reward 0).
std::vector<LearnedPost> load(pqxx::transaction_base& t, const LearningScope& scope,
                              const std::string& relation, int limit) {
  LearningQuery q(scope);
  const std::string limit_param = q.bind(limit);
  const std::string reward = relation == "scored" ? "lp.reward" : "0::float8";
  // The newest posts are chosen before their stored analyses are joined: only
  // those are joined (each an md5 of its content) and carried through the sort.
  const auto rows = q.exec(t, "SELECT " + learned_post_columns(spacing_sql(), reward) + ", " +
                                  post_text_columns() + " FROM (SELECT * FROM " + relation +
                                  " lp ORDER BY lp.posted_at DESC, lp.tweet_id DESC LIMIT " +
                                  limit_param + ") lp " + post_text_join("lp") + " ORDER BY 10, 1");
  std::vector<LearnedPost> out;
  for (const auto& r : rows) {
    LearnedPost p = learned_post(r);
    if (auto text = read_post_text_columns(r, kLearnedPostColumns)) {
      p.text = std::move(text->features);
      p.unavailable_notice = text->unavailable_notice;
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::vector<LearnedPost> load_gated_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                          int limit) {
  return load(t, scope, "scored", limit);
}

std::vector<LearnedPost> load_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                    int limit) {
  return load(t, scope, "posts", limit);
}

std::vector<ScopedPost> read_scoped_posts(pqxx::transaction_base& t, const LearningScope& scope) {
  LearningQuery q(scope);
  const std::string newest = q.bind(kPredictorPosts);
  // One pass over the posts: the reward only where the post passes the gates
  // (as scored gives it, against the same prior); the spacing, one lookup per
  // post, only where load_posts reads it: from the newest kPredictorPosts-th
  // post on (every post when fewer). The cut-off is a row subquery, computed
  // once: joined as a relation, the planner could re-run it for every post.
  q.define("ranked",
           "SELECT p.*, CASE WHEN p.gate_failure IS NULL THEN " + reward_sql("p") +
               " END AS reward, coalesce((p.posted_at, p.tweet_id) >= "
               "  (SELECT c.posted_at, c.tweet_id FROM posts c ORDER BY c.posted_at DESC, "
               "   c.tweet_id DESC OFFSET " +
               newest +
               " - 1 LIMIT 1), true) AS spaced "
               "FROM posts p CROSS JOIN prior");
  const auto rows = q.exec(
      t, "SELECT " +
             learned_post_columns("CASE WHEN lp.spaced THEN " + spacing_sql() + " ELSE 24 END",
                                  "coalesce(lp.reward, 0)") +
             ", lp.gate_failure, lp.success, lp.source = 'imported', " + decay_weight_sql() +
             ", lower(lp.topic), lp.hook_type, lp.formula_name, md5(lp.content) "
             "FROM ranked lp CROSS JOIN scope");
  // Oldest first, sorted here rather than by the statement (a sort of the wide
  // rows there, in parallel workers, was a third of it). Tweet ids are digits
  // only: as text they order as the database orders them.
  std::vector<std::tuple<double, std::string, int>> order;
  for (int i = 0; i < static_cast<int>(rows.size()); ++i)
    order.emplace_back(db::as_double(rows[i][9]), rows[i][0].as<std::string>(), i);
  std::sort(order.begin(), order.end());
  std::vector<ScopedPost> out;
  out.reserve(rows.size());
  for (const auto& [at, tweet_id, i] : order) {
    const auto r = rows[i];
    ScopedPost p;
    p.post = learned_post(r);
    const int c = kLearnedPostColumns;
    if (!r[c].is_null()) p.gate_failure = r[c].as<std::string>();
    p.success = r[c + 1].as<bool>();
    p.imported = r[c + 2].as<bool>();
    p.weight = db::as_double(r[c + 3]);
    p.topic_key = r[c + 4].as<std::string>();
    if (!r[c + 5].is_null()) p.hook_type = r[c + 5].as<std::string>();
    if (!r[c + 6].is_null()) p.formula_name = r[c + 6].as<std::string>();
    p.content_md5 = r[c + 7].as<std::string>();
    out.push_back(std::move(p));
  }
  return out;
}

Json gate_report(pqxx::transaction_base& t, const LearningScope& scope,
                 const std::vector<ScopedPost>& posts) {
  std::map<std::string, long long> failed;
  long long used = 0;
  for (const auto& p : posts) {
    if (p.gated()) {
      ++used;
    } else {
      ++failed[*p.gate_failure];
    }
  }
  return gate_report(used, failed,
                     LearningQuery(scope).exec(t, no_metrics_yet_sql())[0][1].as<long long>());
}

Json gate_report(long long used, const std::map<std::string, long long>& failed,
                 long long no_metrics) {
  Json skipped = Json::object();
  for (const auto& [reason, n] : failed) skipped[reason] = n;
  if (no_metrics > 0) skipped["no_metrics_yet"] = no_metrics;
  return {{"posts_used", used}, {"posts_skipped", skipped}};
}

namespace {

// What read_scoped_formats reads of each post of the account by $2 (the
// scope's now), every format at once, in LearnedPost's order where it can; the
// age is the database's, as the gates' SQL form reads it. date_part gives the
// float8 that extract()::float8 gives, without computing a numeric first. The
// tags only when asked for (kScopedTags): no part of learn-hourly reads them.
// The content only for learn-hourly (kArms reads an empty one and no md5).
constexpr const char* kScopedHead = "SELECT lp.format, lp.tweet_id, lp.decision_id, ";
constexpr const char* kScopedContent = "lp.content";
constexpr const char* kScopedPosts =
    ", lp.generator_name, lp.topic, "
    "  lower(lp.topic), lp.formula_name, lp.hook_type, date_part('epoch', lp.posted_at), "
    "  lp.posted_hour_local, lp.posted_weekday_local, lp.impressions, lp.likes, lp.retweets, "
    "  lp.replies, lp.quotes, lp.bookmarks, lp.profile_clicks, lp.followers_gained, "
    "  lp.engagement_rate, date_part('epoch', lp.collected_at - lp.posted_at) / 3600, "
    "  lp.available, lp.source = 'imported', date_part('epoch', $2::timestamptz - lp.posted_at) / "
    "3600";
constexpr const char* kScopedTags = ", lp.tags";
constexpr const char* kScopedFrom =
    " FROM learning_posts lp WHERE lp.account_id = $1 AND lp.posted_at <= $2::timestamptz";
constexpr int kPostedColumn = 9;

// The account's posted times, any format, oldest first: spacing_sql's lookups.
constexpr const char* kPostedTimes =
    "SELECT date_part('epoch', p.posted_at) FROM content_metadata p "
    "WHERE p.account_id = $1 AND p.status = 'posted' AND p.posted_at <= $2::timestamptz "
    "ORDER BY p.posted_at";

// spacing_sql over the posted times: hours since the latest before `at`, 24 for none.
double spacing_hours(const std::vector<double>& posted, double at) {
  const auto it = std::lower_bound(posted.begin(), posted.end(), at);
  if (it == posted.begin()) return 24;
  return (at - *(it - 1)) / 3600;
}

// decay_weight_sql: 0 past 1,000 half-lives, as that statement gives it.
double decay_weight(double age_seconds) {
  const learn::BanditConfig config;
  const double half_lives = std::max(0.0, age_seconds) / 86400.0 / config.half_life_days;
  return half_lives > 1000 ? 0 : learn::decay_weight(age_seconds / 86400.0, config);
}

// A row of kScopedPosts into a post of its format (`p`, made in its place), with
// the gates' verdict and the decay weight at `now_epoch`, and the tags when the
// row has them; the reward and the spacing are the caller's.
void read_scoped_post(const pqxx::row& r, double now_epoch, ScopedRead what, ScopedPost& p) {
  db::RowFields in(r);
  LearnedPost& lp = p.post;
  lp.format = in.text();
  lp.tweet_id = in.text();
  lp.decision_id = in.text();
  lp.content = in.text();
  lp.generator = in.text();
  lp.topic = in.text();
  p.topic_key = in.text();
  if (const auto formula = in.optional_text()) {
    p.formula_name = std::string(*formula);
    lp.formula = *p.formula_name;
  }
  if (const auto hook = in.optional_text()) {
    p.hook_type = std::string(*hook);
    lp.hook = *p.hook_type;
  }
  const double posted = *in.real();
  lp.posted_at = from_epoch_seconds(posted);
  lp.hour = in.integer();
  lp.weekday = in.integer();
  learn::PostOutcome& o = lp.metrics;
  for (auto* count : {&o.impressions, &o.likes, &o.retweets, &o.replies, &o.quotes, &o.bookmarks,
                      &o.profile_clicks}) {
    *count = in.count();
  }
  o.followers_gained = in.real();
  lp.engagement_rate = in.real();
  lp.age_at_collection_hours = *in.real();
  lp.available = in.flag();
  p.imported = in.flag();
  const auto gates = learn::evaluate_gates(o, *in.real(), lp.available);
  if (what == ScopedRead::kArms) lp.tags = db::from_pg_array(in.field());
  if (gates.passed) {
    p.success = gates.successful;
  } else {
    p.gate_failure = gates.failures.front();
  }
  p.weight = decay_weight(now_epoch - posted);
  if (what == ScopedRead::kLearner) p.content_md5 = md5_hex(lp.content);
}

}  // namespace

std::map<std::string, FormatRead> read_scoped_formats(pqxx::transaction_base& t,
                                                      long long account_id, TimePoint now,
                                                      ScopedRead what) {
  const bool with_tags = what == ScopedRead::kArms, learner = what == ScopedRead::kLearner;
  const std::string now_text = format_iso8601(now);
  const double now_epoch =
      std::chrono::duration<double>(as_written(now).time_since_epoch()).count();
  std::map<std::string, FormatRead> out;
  for (const std::string format : kFormats) out[format];
  const std::string select = std::string(kScopedHead) + (learner ? kScopedContent : "''") +
                             kScopedPosts + (with_tags ? kScopedTags : "") + kScopedFrom;
  const pqxx::result rows = t.exec_params(select, account_id, now_text);
  // Each format's rows oldest first (posted_at, tweet_id), ordered before they
  // are read, so each post is built in its place. Tweet ids are digits only:
  // as text they order as the database orders them.
  struct Place {
    double posted;
    std::string_view tweet_id;
    int row;
  };
  std::map<std::string, std::vector<Place>> order;
  for (int i = 0; i < static_cast<int>(rows.size()); ++i) {
    const auto r = rows[i];
    const std::string format = r[0].as<std::string>();
    if (!out.count(format)) continue;
    const pqxx::field id = r[1];
    order[format].push_back({db::as_double(r[kPostedColumn]), {id.c_str(), id.size()}, i});
  }
  std::vector<double> posted;  // the account's posted times, read when a post needs its spacing
  std::map<std::string, long long> no_metrics;
  if (learner) no_metrics = posts_without_metrics(t, account_id);
  for (auto& [format, read] : out) {
    std::vector<Place>& places = order[format];
    std::sort(places.begin(), places.end(), [](const Place& a, const Place& b) {
      return a.posted != b.posted ? a.posted < b.posted : a.tweet_id < b.tweet_id;
    });
    auto& posts = read.posts;
    posts.reserve(places.size());
    std::map<std::string, long long> failed;
    std::vector<learn::PostOutcome> outcomes;  // of the posts that pass the gates
    outcomes.reserve(places.size());
    for (const Place& place : places) {
      ScopedPost& p = posts.emplace_back();
      read_scoped_post(rows[place.row], now_epoch, what, p);
      if (p.gated()) {
        outcomes.push_back(p.post.metrics);
      } else {
        ++failed[*p.gate_failure];
      }
    }
    // The reward of each post that passes the gates, against the rates of those.
    const learn::ActionValues rates = learn::account_rates(outcomes);
    for (auto& p : posts)
      if (p.gated()) p.post.reward = learn::post_reward(p.post.metrics, rates);
    // The spacing of the newest kPredictorPosts (what load_posts reads), 24 before them.
    const size_t from = newest_posts_from(posts);
    if (!learner) continue;
    if (from < posts.size() && posted.empty()) {
      for (const auto& r : t.exec_params(kPostedTimes, account_id, now_text))
        posted.push_back(db::as_double(r[0]));
    }
    for (size_t i = from; i < posts.size(); ++i)
      posts[i].post.spacing_hours = spacing_hours(posted, places[i].posted);
    const auto n = no_metrics.find(format);
    read.gates = gate_report(static_cast<long long>(outcomes.size()), failed,
                             n == no_metrics.end() ? 0 : n->second);
  }
  return out;
}

size_t newest_posts_from(const std::vector<ScopedPost>& posts) {
  return posts.size() - std::min(posts.size(), static_cast<size_t>(kPredictorPosts));
}

}  // namespace gl::jobs
