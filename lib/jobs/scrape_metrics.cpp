#include "jobs/scrape_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/error.h"
#include "core/json_lines.h"
#include "db/pg_array.h"
#include "jobs/learner_watermark.h"
#include "jobs/learning_sql.h"
#include "jobs/metrics_write.h"
#include "jobs/x_session.h"
#include "learn/attribution.h"
#include "learn/rules.h"
#include "learn/snapshot.h"
#include "x/client.h"

namespace gl::jobs {

namespace {

using learn::PostCounts;

// Own posts' private metrics are readable until 30 days; keep a margin.
constexpr auto kPrivateMetricsAge = std::chrono::hours(24 * 30 - 2);
constexpr auto kAttributionWindowAge = std::chrono::hours(24 * 7);

// A post due for collection at the parameter `now`, over content_metadata cm.
std::string due_at(const char* now) {
  return fmt::format(
      "cm.status = 'posted' AND cm.metrics_state IN ('pending', 'collected') "
      "AND (cm.next_collect_at IS NULL OR cm.next_collect_at <= {0}) AND cm.posted_at <= {0}",
      now);
}

const std::string kSelectDue = R"SQL(
SELECT cm.decision_id::text, cm.tweet_id, cm.generator_name, cm.topic, cm.format,
       extract(epoch FROM cm.posted_at)::float8,
       extract(epoch FROM cm.last_collected_at)::float8,
       o.decision_id IS NOT NULL,
       o.impressions, o.likes, o.retweets, o.replies, o.quotes, o.bookmarks,
       o.profile_clicks, o.url_clicks,
       extract(epoch FROM cm.not_found_at)::float8,
       extract(epoch FROM o.collected_at)::float8
FROM content_metadata cm
LEFT JOIN outcomes o ON o.account_id = cm.account_id AND o.decision_id = cm.decision_id
WHERE cm.account_id = $1 AND )SQL" +
                               due_at("$2") + R"SQL(
ORDER BY cm.posted_at DESC, cm.tweet_id
LIMIT $3
)SQL";

constexpr auto from_epoch = from_epoch_seconds;
constexpr auto opt_count = db::optional_count;

struct DuePost {
  std::string decision_id, tweet_id, generator, topic, format;
  TimePoint posted_at;
  std::optional<TimePoint> last_collected_at;
  std::optional<PostCounts> previous;     // the latest trusted values
  std::optional<TimePoint> previous_at;   // when they were read (outcomes.collected_at)
  std::optional<TimePoint> not_found_at;  // X said "not found" once, at this time
};

// A last scheduled reading that was set aside is read again this often, up to
// a day past the schedule's end.
constexpr auto kSetAsideRetry = std::chrono::hours(6);
constexpr double kLastRetryHours = kCollectAtHours[std::size(kCollectAtHours) - 1] + 24;

// A tweet X first reports not found (deleted, protected, suspended) is read
// once more this much later before it is given up as unavailable.
constexpr auto kRecheckNotFoundAfter = std::chrono::hours(1);

// Records X's first "not found" for these posts and when to ask again; their
// four tables are left as they were.
void mark_not_found_once(pqxx::connection& conn, long long account_id, TimePoint now,
                         const std::vector<const DuePost*>& posts) {
  db::PgArray decision_ids;
  for (const DuePost* p : posts) decision_ids.add_text(p->decision_id);
  pqxx::work w(conn);
  w.exec_params(
      "UPDATE content_metadata SET not_found_at = $2, next_collect_at = $3, updated_at = $2 "
      "WHERE account_id = $1 AND decision_id = ANY($4::uuid[])",
      account_id, format_iso8601(now), format_iso8601(now + kRecheckNotFoundAfter),
      decision_ids.str());
  w.commit();
}

std::vector<DuePost> load_due(pqxx::connection& conn, long long account_id, TimePoint now,
                              int limit) {
  pqxx::read_transaction t(conn);
  std::vector<DuePost> out;
  for (const auto& r : t.exec_params(kSelectDue, account_id, format_iso8601(now), limit)) {
    DuePost p;
    p.decision_id = r[0].as<std::string>();
    p.tweet_id = r[1].as<std::string>();
    p.generator = r[2].as<std::string>();
    p.topic = r[3].as<std::string>();
    p.format = r[4].as<std::string>();
    p.posted_at = from_epoch(r[5].as<double>());
    if (!r[6].is_null()) p.last_collected_at = from_epoch(r[6].as<double>());
    if (r[7].as<bool>()) {
      p.previous = read_counts(r, 8);
      p.previous->url_clicks = opt_count(r[15]);
    }
    if (!r[16].is_null()) p.not_found_at = from_epoch(r[16].as<double>());
    if (!r[17].is_null()) p.previous_at = from_epoch(r[17].as<double>());
    out.push_back(std::move(p));
  }
  return out;
}

Json count_json(const std::optional<long long>& v) { return v ? Json(*v) : Json(nullptr); }

Json metrics_json(const PostCounts& m) {
  return {{"impressions", count_json(m.impressions)},
          {"likes", count_json(m.likes)},
          {"retweets", count_json(m.retweets)},
          {"replies", count_json(m.replies)},
          {"quotes", count_json(m.quotes)},
          {"bookmarks", count_json(m.bookmarks)},
          {"profile_clicks", count_json(m.profile_clicks)},
          {"url_clicks", count_json(m.url_clicks)}};
}

// One post's outcome in a batch: what the four tables get, and the post it is about.
struct PostUpdate {
  const DuePost* post;
  PostMetricsUpdate write;
};

std::vector<PostMetricsUpdate> writes_of(const std::vector<PostUpdate>& updates) {
  std::vector<PostMetricsUpdate> out;
  for (const auto& u : updates) out.push_back(u.write);
  return out;
}

// Fills the fields every update of a due post shares.
PostMetricsUpdate update_of(const DuePost& p, TimePoint now) {
  PostMetricsUpdate w;
  w.decision_id = p.decision_id;
  w.tweet_id = p.tweet_id;
  w.posted_at = p.posted_at;
  w.latest_at = now;
  return w;
}

PostUpdate observe(const DuePost& p, const x::Tweet& t, TimePoint now) {
  PostUpdate u{&p, update_of(p, now)};
  PostMetricsUpdate& w = u.write;
  MetricsSnapshot snapshot;
  snapshot.counts = t;  // the tweet's counters
  snapshot.source = t.private_metrics ? "organic" : "public";
  snapshot.collected_at = now;
  const auto check = learn::check_snapshot(snapshot.counts, p.previous, t.anomalies);
  snapshot.anomalies = check.anomalies;
  w.anomalies = check.anomalies;
  w.latest = check.trusted ? snapshot.counts : p.previous.value_or(PostCounts{});
  // Values kept from an earlier reading keep that reading's time: the post's age at
  // its counts (the learners' maturity) is not moved by a reading that was set aside.
  if (!check.trusted && p.previous_at) w.latest_at = *p.previous_at;
  // Counters this read leaves out (private ones after 30 days, a field X
  // dropped once) keep their last value: a known count never turns unknown.
  if (check.trusted && p.previous) learn::fill_unknown(w.latest, *p.previous);
  w.snapshots.push_back(std::move(snapshot));
  w.er = learn::engagement_rate(w.latest);
  w.gates = learn::evaluate_gates(w.latest, hours_between(p.posted_at, now));
  if (check.trusted && snapshot.counts.impressions) {
    // Since the reading the previous views are from (a later one may have been set aside).
    const TimePoint since = p.previous_at.value_or(p.last_collected_at.value_or(p.posted_at));
    const double hours = hours_between(since, now);
    const long long before = p.previous && p.previous->impressions ? *p.previous->impressions : 0;
    if (hours > 0)
      w.velocity = std::max(0.0, static_cast<double>(*w.latest.impressions - before) / hours);
  }
  w.next_at = next_collection(p.posted_at, now);
  // The last reading set aside (X left the views out, a count fell) would end
  // the post's collection on older values: it is tried again every 6 h for a day.
  if (!w.next_at && !check.trusted && hours_between(p.posted_at, now) < kLastRetryHours)
    w.next_at = now + kSetAsideRetry;
  w.state = w.next_at ? "collected" : "done";
  return u;
}

PostUpdate unavailable(const DuePost& p, const x::TweetProblem& problem, TimePoint now) {
  PostUpdate u{&p, update_of(p, now)};
  PostMetricsUpdate& w = u.write;
  w.available = false;
  w.latest = p.previous.value_or(PostCounts{});
  w.er = learn::engagement_rate(w.latest);
  w.gates = learn::evaluate_gates(w.latest, hours_between(p.posted_at, now), /*available=*/false);
  w.state = "unavailable";
  w.reason = problem.type + (problem.detail.empty() ? "" : ": " + problem.detail);
  return u;
}

Json post_json(const PostUpdate& u) {
  const PostMetricsUpdate& w = u.write;
  return {{"decision_id", u.post->decision_id},
          {"tweet_id", u.post->tweet_id},
          {"generator", u.post->generator},
          {"topic", u.post->topic},
          {"format", u.post->format},
          {"available", w.available},
          {"metrics", metrics_json(w.latest)},
          {"engagement_rate", w.er ? Json(*w.er) : Json(nullptr)},
          {"passed_gates", w.gates.passed},
          {"gate_failures", w.gates.failures},
          {"successful", w.gates.successful},
          {"anomalies", w.anomalies},
          {"state", w.state}};
}

// Splits the follower change since the previous snapshot across the posts live
// in the window and refreshes their followers_gained; one transaction.
void record_followers(pqxx::connection& conn, long long account_id, TimePoint now,
                      const x::UserInfo& user, Json& stats) {
  if (!user.followers) return;
  const std::string now_text = format_iso8601(now);
  pqxx::work w(conn);
  const auto prev = w.exec_params(
      "SELECT extract(epoch FROM taken_at)::float8, followers_count FROM follower_snapshots "
      "WHERE account_id = $1 AND taken_at < $2 ORDER BY taken_at DESC LIMIT 1",
      account_id, now_text);
  w.exec_params(
      "INSERT INTO follower_snapshots (account_id, taken_at, followers_count, following_count, "
      "tweet_count, listed_count) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
      account_id, now_text, *user.followers, user.following, user.tweet_count, user.listed);
  stats["followers"] = *user.followers;
  // A reading older than one already taken (--now gone back) splits a window
  // whose change was attributed already: it is kept, and attributes nothing.
  const bool later_taken =
      w.exec_params1(
           "SELECT EXISTS (SELECT FROM follower_snapshots WHERE account_id = $1 AND "
           "taken_at > $2)",
           account_id, now_text)[0]
          .as<bool>();
  if (later_taken) stats["followers_not_attributed"] = "a later reading exists";
  if (prev.empty() || later_taken) {
    w.commit();
    return;
  }
  const TimePoint window_start = from_epoch(prev[0][0].as<double>());
  const long long delta = *user.followers - prev[0][1].as<long long>();
  stats["followers_delta"] = delta;

  // Posts live in the window and their observed counters.
  struct Live {
    std::string decision_id;
    TimePoint posted_at;
    std::vector<learn::Observation> clicks, impressions;
    bool clicks_known = true, impressions_known = true;
  };
  std::map<std::string, Live> live;
  for (const auto& r : w.exec_params(
           "SELECT cm.tweet_id, cm.decision_id::text, extract(epoch FROM cm.posted_at)::float8, "
           "       extract(epoch FROM tm.collected_at)::float8, tm.profile_clicks, tm.impressions "
           "FROM content_metadata cm "
           "LEFT JOIN tweet_metrics tm ON tm.account_id = cm.account_id AND tm.tweet_id = "
           "cm.tweet_id "
           "  AND tm.collected_at <= $2 AND cardinality(tm.anomalies) = 0 "
           "WHERE cm.account_id = $1 AND cm.status = 'posted' AND cm.posted_at < $2 "
           "  AND cm.posted_at > $3 AND cm.metrics_state <> 'unavailable' "
           "ORDER BY cm.tweet_id, tm.collected_at",
           account_id, now_text, format_iso8601(now - kAttributionWindowAge))) {
    Live& l = live[r[0].as<std::string>()];
    l.decision_id = r[1].as<std::string>();
    l.posted_at = from_epoch(r[2].as<double>());
    if (r[3].is_null()) {
      l.clicks_known = l.impressions_known = false;
      continue;
    }
    const TimePoint at = from_epoch(r[3].as<double>());
    if (r[4].is_null())
      l.clicks_known = false;
    else
      l.clicks.push_back({at, r[4].as<double>()});
    if (r[5].is_null())
      l.impressions_known = false;
    else
      l.impressions.push_back({at, r[5].as<double>()});
  }
  std::vector<learn::WindowActivity> activity;
  for (const auto& [tweet_id, l] : live) {
    learn::WindowActivity a;
    a.key = tweet_id;
    if (l.clicks_known && !l.clicks.empty()) {
      a.new_profile_clicks = learn::interpolate(l.clicks, l.posted_at, now) -
                             learn::interpolate(l.clicks, l.posted_at, window_start);
    }
    if (l.impressions_known && !l.impressions.empty()) {
      a.new_impressions = learn::interpolate(l.impressions, l.posted_at, now) -
                          learn::interpolate(l.impressions, l.posted_at, window_start);
    }
    activity.push_back(a);
  }
  const auto shares = learn::attribute_followers(delta, activity);
  if (!shares.empty()) {
    std::vector<db::PgArray> cols(6);
    for (const auto& s : shares) {
      cols[0].add_text(s.key);
      cols[1].add_text(live.at(s.key).decision_id);
      cols[2].add_text(s.basis);
      cols[3].add(std::optional<double>(s.share));
      cols[4].add(std::optional<double>(s.followers_gained));
      cols[5].add(std::optional<double>(s.confidence));
    }
    w.exec_params(
        "INSERT INTO follower_attribution (account_id, tweet_id, window_start, window_end, "
        "  decision_id, window_delta, posts_in_window, basis, share, followers_gained, confidence) "
        "SELECT $1, u.tweet_id, $2, $3, u.decision_id, $4, $5, u.basis, u.share, u.gained, u.conf "
        "FROM unnest($6::text[], $7::uuid[], $8::text[], $9::float8[], $10::float8[], "
        "$11::float8[]) "
        "  AS u(tweet_id, decision_id, basis, share, gained, conf) "
        "ON CONFLICT (account_id, tweet_id, window_end) DO UPDATE SET "
        "  window_start = excluded.window_start, window_delta = excluded.window_delta, "
        "  posts_in_window = excluded.posts_in_window, basis = excluded.basis, "
        "  share = excluded.share, followers_gained = excluded.followers_gained, "
        "  confidence = excluded.confidence",
        account_id, format_iso8601(window_start), now_text, delta, static_cast<int>(shares.size()),
        cols[0].str(), cols[1].str(), cols[2].str(), cols[3].str(), cols[4].str(), cols[5].str());
    // Both stores of followers_gained move together.
    w.exec_params(
        "WITH s AS (SELECT tweet_id, sum(followers_gained) AS gained, avg(confidence) AS conf "
        "           FROM follower_attribution WHERE account_id = $1 AND tweet_id = ANY($2::text[]) "
        "           GROUP BY tweet_id), "
        "o AS (UPDATE outcomes o SET followers_gained = s.gained, "
        "        follower_attribution_confidence = s.conf FROM s "
        "      WHERE o.account_id = $1 AND o.tweet_id = s.tweet_id RETURNING o.tweet_id) "
        "UPDATE learning_posts lp SET followers_gained = s.gained FROM s "
        "WHERE lp.account_id = $1 AND lp.tweet_id = s.tweet_id",
        account_id, cols[0].str());
    stats["attributed_posts"] = shares.size();
  }
  w.commit();
}

// The timeline endpoint's reach (X's docs: a user's 3,200 newest posts) in pages of 100.
constexpr long long kMaxTimelinePages = 3200 / 100;

// What reading the due posts would add to today's bill either way: through
// the account's own timeline (an owned read for every post of ours in its
// window) or through lookups (a post read for every due post), each resource
// counted only if X has not billed it yet this UTC day (api_reads), at the
// prices of api_prices. Posts published outside growthloop are not counted.
struct ReadCosts {
  double timeline_usd = 0, lookup_usd = 0;
};

constexpr const char* kReadCosts = R"SQL(
WITH today AS (SELECT ($3::timestamptz AT TIME ZONE 'UTC')::date AS day),
mine AS (
  SELECT cm.tweet_id FROM content_metadata cm
  WHERE cm.account_id = $1 AND cm.status = 'posted' AND cm.tweet_id IS NOT NULL
    AND cm.posted_at >= $2 AND cm.posted_at <= $3),
fresh_owned AS (
  SELECT count(*) AS n FROM mine m, today
  WHERE NOT EXISTS (SELECT 1 FROM api_reads r WHERE r.account_id = $1 AND r.day = today.day
                      AND r.kind = $5 AND r.resource_id = m.tweet_id)),
fresh_posts AS (
  SELECT count(*) AS n FROM unnest($4::text[]) AS d(id), today
  WHERE NOT EXISTS (SELECT 1 FROM api_reads r WHERE r.account_id = $1 AND r.day = today.day
                      AND r.kind = $6 AND r.resource_id = d.id))
SELECT (SELECT n FROM fresh_owned) * (SELECT usd FROM api_prices WHERE kind = $5)::float8,
       (SELECT n FROM fresh_posts) * (SELECT usd FROM api_prices WHERE kind = $6)::float8
)SQL";

ReadCosts read_costs(pqxx::connection& conn, long long account_id, TimePoint since, TimePoint now,
                     const std::vector<const DuePost*>& posts) {
  db::PgArray ids;
  for (const DuePost* p : posts) ids.add_text(p->tweet_id);
  pqxx::read_transaction t(conn);
  const auto r = t.exec_params1(kReadCosts, account_id, format_iso8601(since), format_iso8601(now),
                                ids.str(), x::kOwnedRead, x::kPostRead);
  return {r[0].is_null() ? 0.0 : r[0].as<double>(), r[1].is_null() ? 0.0 : r[1].as<double>()};
}

}  // namespace

int scrape_metrics(db::AccountRun& run, const ScrapeOptions& options) {
  const TimePoint now = run.now;
  Json& stats = run.stats;
  const auto due = load_due(run.conn, run.account.id, now, options.limit);
  stats["due"] = due.size();
  if (due.empty()) {
    run.ctx.log.info("no posts due for collection");
    return 0;
  }
  auto client = open_x_client(run);
  const bool user_context = client->auth().user_context();

  // Private metrics need user context and a post younger than 30 days; X
  // refuses a lookup batch with any older post, so those go apart.
  std::vector<const DuePost*> with_private, public_only;
  for (const auto& p : due) {
    (user_context && now - p.posted_at < kPrivateMetricsAge ? with_private : public_only)
        .push_back(&p);
  }

  const auto budget_left = [&] {
    return options.max_requests <= 0 || client->requests() < options.max_requests;
  };
  long long collected = 0, unavailable_count = 0, missing = 0, anomalous = 0, gated = 0;
  long long rechecking = 0, transient = 0, batch_count = 0, timeline_pages = 0;
  using Clock = std::chrono::steady_clock;
  Clock::duration api_time{}, write_time{};

  // Settles one batch of due posts from what X answered for it: the four
  // tables of the batch in one transaction. A post neither found nor reported
  // is asked for again next run.
  const auto settle = [&](const std::vector<const DuePost*>& batch,
                          const std::map<std::string, const x::Tweet*>& found,
                          const std::map<std::string, const x::TweetProblem*>& problems) {
    ++batch_count;
    std::vector<PostUpdate> updates;
    std::vector<const DuePost*> not_found_once;
    for (const DuePost* p : batch) {
      if (auto f = found.find(p->tweet_id); f != found.end()) {
        updates.push_back(observe(*p, *f->second, now));
        if (!updates.back().write.anomalies.empty()) ++anomalous;
        if (updates.back().write.gates.passed) ++gated;
        ++collected;
      } else if (auto pr = problems.find(p->tweet_id); pr != problems.end()) {
        if (!x::is_definitive_absence(pr->second->type)) {
          ++transient;  // an error that is not "not found": ask again next run
        } else if (!p->not_found_at) {
          not_found_once.push_back(p);
          ++rechecking;
        } else {
          updates.push_back(unavailable(*p, *pr->second, now));
          ++unavailable_count;
        }
      } else {
        ++missing;
      }
    }
    if (run.ctx.common.dry_run) {
      for (const auto& u : updates) emit(post_json(u));
      return;
    }
    const auto write_start = Clock::now();
    if (!updates.empty()) {
      pqxx::work w(run.conn);
      write_post_metrics(w, run.account.id, now, writes_of(updates));
      w.commit();
    }
    if (!not_found_once.empty()) mark_not_found_once(run.conn, run.account.id, now, not_found_once);
    write_time += Clock::now() - write_start;
    for (const auto& u : updates) emit(post_json(u));
  };

  std::optional<x::UserInfo> user;
  std::optional<Error> stopped;
  std::string read_through = "lookup";
  try {
    // Followers are read when they can be; a failed read never holds up the tweets.
    try {
      if (budget_left()) user = fetch_account_user(run, *client);
    } catch (const x::ApiError& e) {
      stats["followers_error"] = valid_utf8(e.what());
      run.ctx.log.warn("followers not recorded this run: {}", e.what());
    }

    // The account's own timeline serves its recent posts with their private
    // metrics as owned reads, when that adds no more to the bill than lookups.
    if (options.read_through == "auto" && !with_private.empty() && run.account.x_user_id) {
      TimePoint oldest = now;
      for (const DuePost* p : with_private) oldest = std::min(oldest, p->posted_at);
      const auto costs = read_costs(run.conn, run.account.id, oldest, now, with_private);
      stats["timeline_cost_usd"] = costs.timeline_usd;
      stats["lookup_cost_usd"] = costs.lookup_usd;
      if (costs.timeline_usd <= costs.lookup_usd) {
        read_through = "timeline";
        std::map<std::string, const DuePost*> wanted;
        for (const DuePost* p : with_private) wanted[p->tweet_id] = p;
        x::TimelineRequest request;
        request.user_id = *run.account.x_user_id;
        request.start_time = oldest;
        request.originals_only = false;
        request.private_metrics = true;
        // X serves a user's 3,200 newest posts on this endpoint: 32 pages of 100. A
        // page that repeats a token, holds nothing or goes past that ends the paging
        // (X misbehaving must not hold the run and its lock); the rest is looked up.
        std::set<std::string> tokens_seen;
        while (!wanted.empty() && budget_left()) {
          if (timeline_pages >= kMaxTimelinePages) {
            stats["timeline_stopped"] = "page_limit";
            break;
          }
          const auto api_start = Clock::now();
          const x::PostPage page = client->user_posts(request);
          api_time += Clock::now() - api_start;
          ++timeline_pages;
          std::vector<const DuePost*> batch;
          std::map<std::string, const x::Tweet*> found;
          for (const auto& t : page.tweets) {
            if (auto w = wanted.find(t.id); w != wanted.end()) {
              batch.push_back(w->second);
              found[t.id] = &t;
              wanted.erase(w);
            }
          }
          if (!batch.empty()) settle(batch, found, {});
          if (page.next_token.empty()) break;
          if (page.tweets.empty() || !tokens_seen.insert(page.next_token).second) {
            stats["timeline_stopped"] = page.tweets.empty() ? "empty_page" : "repeated_token";
            break;
          }
          request.pagination_token = page.next_token;
        }
        // What the timeline did not show (deleted, beyond its reach) is looked up.
        std::vector<const DuePost*> rest;
        for (const DuePost* p : with_private) {
          if (wanted.count(p->tweet_id)) rest.push_back(p);
        }
        with_private = std::move(rest);
      }
    }

    for (const bool private_metrics : {true, false}) {
      const auto& group = private_metrics ? with_private : public_only;
      for (size_t i = 0; i < group.size(); i += x::kMaxIdsPerLookup) {
        if (!budget_left()) {
          stats["stopped_at_max_requests"] = true;
          break;
        }
        const std::vector<const DuePost*> batch(
            group.begin() + static_cast<long>(i),
            group.begin() + static_cast<long>(std::min(group.size(), i + x::kMaxIdsPerLookup)));
        std::vector<std::string> ids;
        for (const DuePost* p : batch) ids.push_back(p->tweet_id);
        const auto api_start = Clock::now();
        const auto result = client->lookup_tweets(ids, private_metrics);
        api_time += Clock::now() - api_start;
        std::map<std::string, const x::Tweet*> found;
        for (const auto& t : result.tweets) found[t.id] = &t;
        std::map<std::string, const x::TweetProblem*> problems;
        for (const auto& pr : result.problems) problems[pr.id] = &pr;
        settle(batch, found, problems);
      }
    }
  } catch (const x::ApiError& e) {
    // What is committed stays; say when to come back.
    stopped = e;
  }
  stats["collected"] = collected;
  stats["unavailable"] = unavailable_count;
  stats["missing"] = missing;
  stats["not_found_rechecking"] = rechecking;
  stats["transient_errors"] = transient;
  stats["anomalous"] = anomalous;
  stats["passed_gates"] = gated;
  stats["batches"] = batch_count;
  stats["recent_posts_read_through"] = read_through;
  stats["timeline_pages"] = timeline_pages;
  stats["requests"] = client->requests();
  const auto attribution_start = Clock::now();
  if (user && !run.ctx.common.dry_run)
    record_followers(run.conn, run.account.id, now, *user, stats);
  if (!run.ctx.common.dry_run && (batch_count > 0 || user)) {
    // Every write above added a row of changes; an account whose learners
    // never run would otherwise gather them without end.
    pqxx::work w(run.conn);
    compact_input_changes(w, run.account.id);
    w.commit();
  }
  const auto ms = [](Clock::duration d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  stats["lookup_ms"] = ms(api_time);
  stats["write_ms"] = ms(write_time);
  stats["attribution_ms"] = ms(Clock::now() - attribution_start);
  run.ctx.log.info("collected {} of {} due posts ({} unavailable, {} anomalous) in {} requests",
                   collected, due.size(), unavailable_count, anomalous, client->requests());
  if (stopped) {
    stats["error"] = stopped->what();
    throw Error(stopped->exit_code(), stopped->subject(),
                stopped->reason() + " (" + std::to_string(collected) + " of " +
                    std::to_string(due.size()) + " posts collected and saved)");
  }
  return 0;
}

std::string scrape_due_accounts_sql() {
  return "SELECT a.account_id FROM accounts a WHERE EXISTS (SELECT 1 FROM content_metadata cm "
         "WHERE cm.account_id = a.account_id AND " +
         due_at("$1") + ")";
}

}  // namespace gl::jobs
