#include "jobs/metrics_write.h"

#include <algorithm>

#include "core/error.h"
#include "db/pg_array.h"

namespace gl::jobs {

namespace {

// A = snapshots. Writing the same reading again adds nothing.
constexpr const char* kInsertSnapshots = R"SQL(
INSERT INTO tweet_metrics (account_id, tweet_id, collected_at, decision_id, age_hours,
  impressions, likes, retweets, replies, quotes, bookmarks, profile_clicks, url_clicks,
  engagement_rate, metrics_source, anomalies)
SELECT $1, u.tweet_id, u.at, u.decision_id, u.age, u.imp, u.likes, u.rts, u.replies, u.quotes,
       u.bms, u.clicks, u.urls, u.er, u.source,
       CASE WHEN u.anoms = '' THEN '{}'::text[] ELSE string_to_array(u.anoms, '|') END
FROM unnest($2::text[], $3::uuid[], $4::timestamptz[], $5::float8[], $6::int8[], $7::int8[],
            $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::int8[],
            $14::float8[], $15::text[], $16::text[])
  AS u(tweet_id, decision_id, at, age, imp, likes, rts, replies, quotes, bms, clicks, urls, er,
       source, anoms)
ON CONFLICT DO NOTHING
)SQL";

// B = the latest trusted values per decision. Follows X reported for the post
// beat the attribution's estimate.
constexpr const char* kUpsertOutcomes = R"SQL(
INSERT INTO outcomes AS o (account_id, decision_id, tweet_id, impressions, likes, retweets,
  replies, quotes, bookmarks, profile_clicks, url_clicks, engagement_rate, impressions_per_hour,
  followers_gained, follower_attribution_confidence, available, passed_gates, gate_failures,
  successful, anomalies, collected_at)
SELECT $1, u.decision_id, u.tweet_id, u.imp, u.likes, u.rts, u.replies, u.quotes, u.bms,
       u.clicks, u.urls, u.er, u.velocity,
       coalesce(u.followers, (SELECT sum(fa.followers_gained) FROM follower_attribution fa
                               WHERE fa.account_id = $1 AND fa.tweet_id = u.tweet_id)),
       CASE WHEN u.followers IS NOT NULL THEN 1
            ELSE (SELECT avg(fa.confidence) FROM follower_attribution fa
                   WHERE fa.account_id = $1 AND fa.tweet_id = u.tweet_id) END,
       u.available, u.passed,
       CASE WHEN u.failures = '' THEN '{}'::text[] ELSE string_to_array(u.failures, '|') END,
       u.successful,
       CASE WHEN u.anoms = '' THEN '{}'::text[] ELSE string_to_array(u.anoms, '|') END,
       u.at
FROM unnest($2::uuid[], $3::text[], $4::int8[], $5::int8[], $6::int8[], $7::int8[], $8::int8[],
            $9::int8[], $10::int8[], $11::int8[], $12::float8[], $13::float8[], $14::float8[],
            $15::bool[], $16::bool[], $17::text[], $18::bool[], $19::text[], $20::timestamptz[])
  AS u(decision_id, tweet_id, imp, likes, rts, replies, quotes, bms, clicks, urls, er, velocity,
       followers, available, passed, failures, successful, anoms, at)
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
)SQL";

// C = learning_posts, copied from outcomes in the same transaction so the two agree.
constexpr const char* kUpsertLearningPosts = R"SQL(
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
FROM outcomes o
JOIN content_metadata cm ON cm.account_id = o.account_id AND cm.decision_id = o.decision_id
JOIN accounts a ON a.account_id = o.account_id
WHERE o.account_id = $1 AND o.decision_id = ANY($2::uuid[])
ON CONFLICT (account_id, tweet_id) DO UPDATE SET
  impressions = excluded.impressions, likes = excluded.likes, retweets = excluded.retweets,
  replies = excluded.replies, quotes = excluded.quotes, bookmarks = excluded.bookmarks,
  profile_clicks = excluded.profile_clicks, engagement_rate = excluded.engagement_rate,
  followers_gained = excluded.followers_gained, available = excluded.available,
  passed_gates = excluded.passed_gates, successful = excluded.successful,
  collected_at = excluded.collected_at
)SQL";

// D = the dashboard's columns and the collection schedule.
constexpr const char* kUpdateContent = R"SQL(
UPDATE content_metadata cm SET
  actual_impressions = o.impressions, actual_likes = o.likes, actual_retweets = o.retweets,
  actual_replies = o.replies, actual_quotes = o.quotes, actual_bookmarks = o.bookmarks,
  actual_profile_clicks = o.profile_clicks, actual_engagement_rate = o.engagement_rate,
  metrics_state = u.state, unavailable_reason = nullif(u.reason, ''),
  last_collected_at = greatest(cm.last_collected_at, u.read_at), next_collect_at = u.next_at,
  collect_count = cm.collect_count + 1,
  not_found_at = CASE WHEN u.state = 'unavailable' THEN cm.not_found_at END,
  updated_at = $2
FROM outcomes o,
     unnest($3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])
       AS u(decision_id, state, reason, next_at, read_at)
WHERE cm.account_id = $1 AND cm.decision_id = u.decision_id
  AND o.account_id = cm.account_id AND o.decision_id = cm.decision_id
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

void write_post_metrics(pqxx::transaction_base& t, long long account_id, TimePoint now,
                        const std::vector<PostMetricsUpdate>& updates) {
  if (updates.empty()) return;
  const std::string now_text = format_iso8601(now);
  std::vector<db::PgArray> snap(15), out(19), content(5);
  db::PgArray decision_ids;
  for (const auto& u : updates) {
    TimePoint read_at = now;
    if (!u.snapshots.empty()) read_at = u.snapshots.front().collected_at;
    for (const auto& s : u.snapshots) {
      read_at = std::max(read_at, s.collected_at);
      snap[0].add_text(u.tweet_id);
      snap[1].add_text(u.decision_id);
      snap[2].add_text(format_iso8601(s.collected_at));
      snap[3].add(std::optional<double>(std::max(0.0, hours_between(u.posted_at, s.collected_at))));
      add_counts(snap, 4, s.counts);
      snap[12].add(learn::engagement_rate(s.counts));
      snap[13].add_text(s.source);
      snap[14].add_text(join(s.anomalies));
    }
    out[0].add_text(u.decision_id);
    out[1].add_text(u.tweet_id);
    add_counts(out, 2, u.latest);
    out[10].add(u.er);
    out[11].add(u.velocity);
    out[12].add(u.followers);
    out[13].add(u.available);
    out[14].add(u.gates.passed);
    out[15].add_text(join(u.gates.failures));
    out[16].add(u.gates.successful);
    out[17].add_text(join(u.anomalies));
    out[18].add_text(format_iso8601(u.latest_at));
    content[0].add_text(u.decision_id);
    content[1].add_text(u.state);
    content[2].add_text(u.reason);
    content[3].add_text(iso(u.next_at));
    content[4].add_text(format_iso8601(read_at));
    decision_ids.add_text(u.decision_id);
  }
  if (snap[0].size() > 0) {
    t.exec_params(kInsertSnapshots, account_id, snap[0].str(), snap[1].str(), snap[2].str(),
                  snap[3].str(), snap[4].str(), snap[5].str(), snap[6].str(), snap[7].str(),
                  snap[8].str(), snap[9].str(), snap[10].str(), snap[11].str(), snap[12].str(),
                  snap[13].str(), snap[14].str());
  }
  t.exec_params(kUpsertOutcomes, account_id, out[0].str(), out[1].str(), out[2].str(), out[3].str(),
                out[4].str(), out[5].str(), out[6].str(), out[7].str(), out[8].str(), out[9].str(),
                out[10].str(), out[11].str(), out[12].str(), out[13].str(), out[14].str(),
                out[15].str(), out[16].str(), out[17].str(), out[18].str());
  t.exec_params(kUpsertLearningPosts, account_id, decision_ids.str());
  const auto changed =
      t.exec_params(kUpdateContent, account_id, now_text, content[0].str(), content[1].str(),
                    content[2].str(), content[3].str(), content[4].str());
  if (changed.affected_rows() != updates.size()) {
    throw failure("content_metadata", "updated " + std::to_string(changed.affected_rows()) +
                                          " rows for a batch of " + std::to_string(updates.size()) +
                                          " posts");
  }
}

}  // namespace gl::jobs
