#include "jobs/metrics_write.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/json_lines.h"
#include "db/pg_array.h"
#include "jobs/learning_sql.h"

namespace gl::jobs {

namespace {

// Three statements per batch at most, whatever its size, each taking every
// row of the batch as arrays. The snapshots' insert is prepared once per
// connection; the others are planned for each batch, from the arrays' real
// lengths. A post's row is found by its whole unique key, one lookup per post
// (a LATERAL subquery that OFFSET 0 keeps from being flattened into a join),
// so no plan reads the account's other posts, even when the statistics
// predate most of its rows (a bulk import, which autovacuum cannot analyze
// before it commits, into a new account). The account is an opaque value
// there, (SELECT $1): statistics without the account's rows make "account_id
// = 1" look like one row, and then any index that starts with account_id
// (topics, out_at) looks as cheap as the key's, and was taken, reading all of
// the account's posts for each post (10,000 imported posts: 16 s, not 2).

// New posts: content_metadata's row, with its metrics state (as the update of
// kWritePostState's step D would write it for a post already there).
constexpr const char* kInsertNewPosts = R"SQL(
INSERT INTO content_metadata (account_id, generator_name, topic, hook_type, format, tags,
  content, thread_parts, in_reply_to_tweet_id, status, posted_at, tweet_id, source, created_at,
  actual_impressions, actual_likes, actual_retweets, actual_replies, actual_quotes,
  actual_bookmarks, actual_profile_clicks, actual_engagement_rate, metrics_state,
  unavailable_reason, last_collected_at, next_collect_at, collect_count, updated_at)
SELECT $1, u.generator, u.topic, u.hook, u.format,
       CASE WHEN u.tags = '' THEN '{}'::text[] ELSE string_to_array(u.tags, '|') END, u.content,
       CASE WHEN u.parts IS NULL THEN NULL
            ELSE ARRAY(SELECT jsonb_array_elements_text(u.parts::jsonb)) END,
       u.reply_to, 'posted', u.posted_at, u.tweet_id, u.source, u.posted_at,
       u.imp, u.likes, u.rts, u.replies, u.quotes, u.bms, u.clicks, u.er, u.state,
       nullif(u.reason, ''), u.read_at, u.next_at, 1, $24
FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::text[], $10::text[], $11::timestamptz[], $12::text[], $13::int8[], $14::int8[],
            $15::int8[], $16::int8[], $17::int8[], $18::int8[], $19::int8[], $20::float8[],
            $21::text[], $22::text[], $23::timestamptz[], $25::timestamptz[])
  AS u(tweet_id, generator, topic, hook, format, tags, content, parts, reply_to, posted_at,
       source, imp, likes, rts, replies, quotes, bms, clicks, er, state, reason, next_at, read_at)
RETURNING tweet_id, decision_id::text
)SQL";

// A = snapshots (a fmt template: {merged_er} is filled in, braces doubled).
// Writing the same reading again adds nothing. Another reading
// of the same moment from the same source (two exports of one day, imported
// apart) joins the one held: its counters win, the held row's fill what it
// lacks, as outcomes joins them, so the two agree.
constexpr const char* kInsertSnapshotsName = "gl_metrics_write_snapshots";
constexpr const char* kInsertSnapshots = R"SQL(
INSERT INTO tweet_metrics AS tm (account_id, tweet_id, collected_at, decision_id, age_hours,
  impressions, likes, retweets, replies, quotes, bookmarks, profile_clicks, url_clicks,
  engagement_rate, metrics_source, anomalies)
SELECT $1, u.tweet_id, u.at, u.decision_id, u.age, u.imp, u.likes, u.rts, u.replies, u.quotes,
       u.bms, u.clicks, u.urls, u.er, u.source,
       CASE WHEN u.anoms = '' THEN '{{}}'::text[] ELSE string_to_array(u.anoms, '|') END
FROM unnest($2::text[], $3::uuid[], $4::timestamptz[], $5::float8[], $6::int8[], $7::int8[],
            $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::int8[],
            $14::float8[], $15::text[], $16::text[])
  AS u(tweet_id, decision_id, at, age, imp, likes, rts, replies, quotes, bms, clicks, urls, er,
       source, anoms)
ON CONFLICT (account_id, tweet_id, collected_at) DO UPDATE SET
  impressions = coalesce(excluded.impressions, tm.impressions),
  likes = coalesce(excluded.likes, tm.likes),
  retweets = coalesce(excluded.retweets, tm.retweets),
  replies = coalesce(excluded.replies, tm.replies),
  quotes = coalesce(excluded.quotes, tm.quotes),
  bookmarks = coalesce(excluded.bookmarks, tm.bookmarks),
  profile_clicks = coalesce(excluded.profile_clicks, tm.profile_clicks),
  url_clicks = coalesce(excluded.url_clicks, tm.url_clicks),
  engagement_rate = {merged_er},
  anomalies = excluded.anomalies
WHERE tm.metrics_source = excluded.metrics_source
)SQL";

// The statement of kInsertSnapshots, its engagement rate over the joined
// counters by the one rule (jobs/learning_sql.h).
const std::string& insert_snapshots_sql() {
  static const std::string kSql = [] {
    const std::string er = engagement_rate_sql(
        [](const char* column) { return fmt::format("coalesce(excluded.{0}, tm.{0})", column); });
    return fmt::format(fmt::runtime(kInsertSnapshots), fmt::arg("merged_er", er));
  }();
  return kSql;
}

// B, C and D in one statement: B = outcomes, the latest trusted values per
// decision (follows X reported for the post beat the attribution's estimate);
// C = learning_posts and D = content_metadata's dashboard columns and
// collection schedule (of the posts not inserted just before with them), both
// copied from the rows B returns, so the three agree. Returns the rows of D
// and of C written.
constexpr const char* kWritePostState = R"SQL(
WITH u AS (
  SELECT * FROM unnest($2::uuid[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[],
                       $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::float8[],
                       $13::float8[], $14::float8[], $15::bool[], $16::bool[], $17::text[],
                       $18::bool[], $19::text[], $20::timestamptz[], $21::text[], $22::text[],
                       $23::timestamptz[], $24::timestamptz[], $26::bool[])
    AS u(decision_id, tweet_id, imp, likes, rts, replies, quotes, bms, clicks, urls, er,
         velocity, followers, available, passed, failures, successful, anoms, at, state,
         reason, next_at, read_at, inserted)),
fa AS (
  SELECT fa.tweet_id, sum(fa.followers_gained) AS gained, avg(fa.confidence) AS conf
  FROM follower_attribution fa
  WHERE fa.account_id = $1 AND fa.tweet_id IN (SELECT tweet_id FROM u)
  GROUP BY fa.tweet_id),
o AS (
  INSERT INTO outcomes AS o (account_id, decision_id, tweet_id, impressions, likes, retweets,
    replies, quotes, bookmarks, profile_clicks, url_clicks, engagement_rate,
    impressions_per_hour, followers_gained, follower_attribution_confidence, available,
    passed_gates, gate_failures, successful, anomalies, collected_at)
  SELECT $1, u.decision_id, u.tweet_id, u.imp, u.likes, u.rts, u.replies, u.quotes, u.bms,
         u.clicks, u.urls, u.er, u.velocity, coalesce(u.followers, fa.gained),
         CASE WHEN u.followers IS NOT NULL THEN 1 ELSE fa.conf END,
         u.available, u.passed,
         CASE WHEN u.failures = '' THEN '{}'::text[] ELSE string_to_array(u.failures, '|') END,
         u.successful,
         CASE WHEN u.anoms = '' THEN '{}'::text[] ELSE string_to_array(u.anoms, '|') END,
         u.at
  FROM u LEFT JOIN fa ON fa.tweet_id = u.tweet_id
  ON CONFLICT (account_id, decision_id) DO UPDATE SET
    impressions = excluded.impressions, likes = excluded.likes, retweets = excluded.retweets,
    replies = excluded.replies, quotes = excluded.quotes, bookmarks = excluded.bookmarks,
    profile_clicks = excluded.profile_clicks, url_clicks = excluded.url_clicks,
    engagement_rate = excluded.engagement_rate,
    impressions_per_hour = coalesce(excluded.impressions_per_hour, o.impressions_per_hour),
    followers_gained = coalesce(excluded.followers_gained, o.followers_gained),
    follower_attribution_confidence =
      coalesce(excluded.follower_attribution_confidence, o.follower_attribution_confidence),
    available = excluded.available, passed_gates = excluded.passed_gates,
    gate_failures = excluded.gate_failures, successful = excluded.successful,
    anomalies = excluded.anomalies, collected_at = excluded.collected_at
  RETURNING o.*),
lp AS (
  INSERT INTO learning_posts AS lp (account_id, tweet_id, decision_id, content, generator_name,
    topic, formula_name, hook_type, format, tags, source, posted_at, posted_hour_local,
    posted_weekday_local, impressions, likes, retweets, replies, quotes, bookmarks,
    profile_clicks, engagement_rate, followers_gained, available, passed_gates, successful,
    collected_at)
  SELECT o.account_id, o.tweet_id, o.decision_id, cm.content, cm.generator_name, cm.topic,
         cm.formula_name, cm.hook_type, cm.format, cm.tags, cm.source, cm.posted_at,
         extract(hour FROM cm.posted_at AT TIME ZONE a.timezone)::int2,
         extract(dow FROM cm.posted_at AT TIME ZONE a.timezone)::int2,
         o.impressions, o.likes, o.retweets, o.replies, o.quotes, o.bookmarks, o.profile_clicks,
         o.engagement_rate, o.followers_gained, o.available, o.passed_gates, o.successful,
         o.collected_at
  FROM o
  CROSS JOIN LATERAL (SELECT * FROM content_metadata cm
                      WHERE cm.account_id = (SELECT $1::int8) AND cm.decision_id = o.decision_id
                      OFFSET 0) cm
  JOIN accounts a ON a.account_id = o.account_id
  ON CONFLICT (account_id, tweet_id) DO UPDATE SET
    impressions = excluded.impressions, likes = excluded.likes, retweets = excluded.retweets,
    replies = excluded.replies, quotes = excluded.quotes, bookmarks = excluded.bookmarks,
    profile_clicks = excluded.profile_clicks, engagement_rate = excluded.engagement_rate,
    followers_gained = excluded.followers_gained, available = excluded.available,
    passed_gates = excluded.passed_gates, successful = excluded.successful,
    collected_at = excluded.collected_at
  RETURNING 1),
cm AS (
  UPDATE content_metadata cm SET
    actual_impressions = o.impressions, actual_likes = o.likes, actual_retweets = o.retweets,
    actual_replies = o.replies, actual_quotes = o.quotes, actual_bookmarks = o.bookmarks,
    actual_profile_clicks = o.profile_clicks, actual_engagement_rate = o.engagement_rate,
    metrics_state = u.state, unavailable_reason = nullif(u.reason, ''),
    last_collected_at = greatest(cm.last_collected_at, u.read_at), next_collect_at = u.next_at,
    collect_count = cm.collect_count + 1,
    not_found_at = CASE WHEN u.state = 'unavailable' THEN cm.not_found_at END,
    updated_at = $25
  FROM o JOIN u ON u.decision_id = o.decision_id
  WHERE cm.account_id = $1 AND cm.decision_id = o.decision_id
    AND cm.decision_id = ANY($2::uuid[]) AND NOT u.inserted
  RETURNING 1)
SELECT (SELECT count(*) FROM cm), (SELECT count(*) FROM lp)
)SQL";

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : "|") + s;
  return out;
}

std::optional<std::string> iso(const std::optional<TimePoint>& t) {
  return t ? std::optional<std::string>(format_iso8601(*t)) : std::nullopt;
}

void add_counts(std::vector<db::PgArray>& cols, size_t first, const learn::PostCounts& m) {
  cols[first].add(m.impressions);
  cols[first + 1].add(m.likes);
  cols[first + 2].add(m.retweets);
  cols[first + 3].add(m.replies);
  cols[first + 4].add(m.quotes);
  cols[first + 5].add(m.bookmarks);
  cols[first + 6].add(m.profile_clicks);
  cols[first + 7].add(m.url_clicks);
}

// When the post's metrics were last read: its newest snapshot's time, else now.
TimePoint read_at(const PostMetricsUpdate& u, TimePoint now) {
  if (u.snapshots.empty()) return now;
  TimePoint at = u.snapshots.front().collected_at;
  for (const auto& s : u.snapshots) at = std::max(at, s.collected_at);
  return at;
}

// Inserts the new posts of `updates` with their state; their decision ids by tweet id.
std::map<std::string, std::string> insert_new_posts(pqxx::transaction_base& t, long long account_id,
                                                    TimePoint now,
                                                    const std::vector<PostMetricsUpdate>& updates) {
  std::vector<db::PgArray> cols(24);
  for (const auto& u : updates) {
    if (!u.insert) continue;
    const NewPost& p = *u.insert;
    cols[0].add_text(u.tweet_id);
    cols[1].add_text(p.generator);
    cols[2].add_text(p.topic);
    cols[3].add_text(p.hook);
    cols[4].add_text(p.format);
    cols[5].add_text(join(p.tags));
    cols[6].add_text(p.content);
    cols[7].add_text(p.thread_parts.empty() ? std::nullopt
                                            : std::optional(Json(p.thread_parts).dump()));
    cols[8].add_text(p.reply_to);
    cols[9].add_text(format_iso8601(u.posted_at));
    cols[10].add_text(p.source);
    add_counts(cols, 11, u.latest);  // url_clicks (cols[18]) has no column here
    cols[19].add(u.er);
    cols[20].add_text(u.state);
    cols[21].add_text(u.reason);
    cols[22].add_text(iso(u.next_at));
    cols[23].add_text(format_iso8601(read_at(u, now)));
  }
  std::map<std::string, std::string> ids;
  if (cols[0].size() == 0) return ids;
  const auto inserted = t.exec_params(
      kInsertNewPosts, account_id, cols[0].str(), cols[1].str(), cols[2].str(), cols[3].str(),
      cols[4].str(), cols[5].str(), cols[6].str(), cols[7].str(), cols[8].str(), cols[9].str(),
      cols[10].str(), cols[11].str(), cols[12].str(), cols[13].str(), cols[14].str(),
      cols[15].str(), cols[16].str(), cols[17].str(), cols[19].str(), cols[20].str(),
      cols[21].str(), cols[22].str(), format_iso8601(now), cols[23].str());
  for (const auto& r : inserted) ids[r[0].as<std::string>()] = r[1].as<std::string>();
  if (ids.size() != cols[0].size()) {
    throw failure("content_metadata", "inserted " + std::to_string(ids.size()) + " of " +
                                          std::to_string(cols[0].size()) + " new posts");
  }
  return ids;
}

}  // namespace

std::optional<TimePoint> next_collection(TimePoint posted_at, TimePoint now) {
  const double age = hours_between(posted_at, now);
  for (double h : kCollectAtHours) {
    if (h > age + 1e-6) {
      return posted_at + std::chrono::duration_cast<TimePoint::duration>(
                             std::chrono::duration<double>(h * 3600));
    }
  }
  return std::nullopt;
}

std::map<std::string, std::string> write_post_metrics(
    pqxx::transaction_base& t, long long account_id, TimePoint now,
    const std::vector<PostMetricsUpdate>& updates) {
  if (updates.empty()) return {};
  std::map<std::string, std::string> inserted = insert_new_posts(t, account_id, now, updates);
  std::vector<db::PgArray> snap(15), post(24);
  for (const auto& u : updates) {
    const std::string& decision_id = u.insert ? inserted.at(u.tweet_id) : u.decision_id;
    for (const auto& s : u.snapshots) {
      snap[0].add_text(u.tweet_id);
      snap[1].add_text(decision_id);
      snap[2].add_text(format_iso8601(s.collected_at));
      snap[3].add(std::optional<double>(std::max(0.0, hours_between(u.posted_at, s.collected_at))));
      add_counts(snap, 4, s.counts);
      snap[12].add(learn::engagement_rate(s.counts));
      snap[13].add_text(s.source);
      snap[14].add_text(join(s.anomalies));
    }
    post[0].add_text(decision_id);
    post[1].add_text(u.tweet_id);
    add_counts(post, 2, u.latest);
    post[10].add(u.er);
    post[11].add(u.velocity);
    post[12].add(u.followers);
    post[13].add(u.available);
    post[14].add(u.gates.passed);
    post[15].add_text(join(u.gates.failures));
    post[16].add(u.gates.successful);
    post[17].add_text(join(u.anomalies));
    post[18].add_text(format_iso8601(u.latest_at));
    post[19].add_text(u.state);
    post[20].add_text(u.reason);
    post[21].add_text(iso(u.next_at));
    post[22].add_text(format_iso8601(read_at(u, now)));
    post[23].add(u.insert.has_value());
  }
  pqxx::connection_base& conn = t.conn();
  if (snap[0].size() > 0) {
    conn.prepare(kInsertSnapshotsName, insert_snapshots_sql());
    t.exec_prepared(kInsertSnapshotsName, account_id, snap[0].str(), snap[1].str(), snap[2].str(),
                    snap[3].str(), snap[4].str(), snap[5].str(), snap[6].str(), snap[7].str(),
                    snap[8].str(), snap[9].str(), snap[10].str(), snap[11].str(), snap[12].str(),
                    snap[13].str(), snap[14].str());
  }
  const auto written = t.exec_params1(
      kWritePostState, account_id, post[0].str(), post[1].str(), post[2].str(), post[3].str(),
      post[4].str(), post[5].str(), post[6].str(), post[7].str(), post[8].str(), post[9].str(),
      post[10].str(), post[11].str(), post[12].str(), post[13].str(), post[14].str(),
      post[15].str(), post[16].str(), post[17].str(), post[18].str(), post[19].str(),
      post[20].str(), post[21].str(), post[22].str(), format_iso8601(now), post[23].str());
  const auto content_rows = written[0].as<size_t>(), learning_rows = written[1].as<size_t>();
  if (content_rows + inserted.size() != updates.size() || learning_rows != updates.size()) {
    throw failure("content_metadata", "updated " + std::to_string(content_rows) +
                                          " rows and learning_posts " +
                                          std::to_string(learning_rows) + " for a batch of " +
                                          std::to_string(updates.size()) + " posts");
  }
  return inserted;
}

}  // namespace gl::jobs
