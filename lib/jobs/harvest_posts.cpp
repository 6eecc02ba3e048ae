// harvest's post sources: viral posts per topic, peers' new posts, and the
// most-liked replies under the best of both. Each query is read page by page
// and written in one transaction with its watermark; the watermark moves only
// when the query was read to its end, so a run cut short (budget, a 429)
// loses nothing: the next one reads again from where this one started.
#include <algorithm>
#include <map>

#include "core/json_lines.h"
#include "jobs/harvest_run.h"
#include "learn/snapshot.h"

namespace gl::jobs {

namespace {

constexpr int kMaxPages = 3;
constexpr int kFirstMinLikes = 20;
constexpr int kReplyMinLikes = 2;
constexpr int kReplyParents = 5;

// An outside post read again: a newer reading's known counters replace the
// stored ones, unless it lacks the views the row has (newer likes beside older
// views would be a rate of two times); a counter it lacks keeps its value (a
// count once known never turns unknown); an older reading (--now going back)
// changes nothing (its views beside the row's newer likes would mix times too).
std::string counter_updates(const std::string& t) {
  const std::string newer = "(EXCLUDED.collected_at >= " + t +
                            ".collected_at AND (EXCLUDED.impressions IS NOT NULL OR " + t +
                            ".impressions IS NULL))";
  std::string s;
  for (const char* c : {"impressions", "likes", "retweets", "replies", "quotes", "bookmarks"}) {
    const std::string mine = t + "." + c, theirs = std::string("EXCLUDED.") + c;
    s += std::string(c) + " = CASE WHEN " + newer + " THEN coalesce(" + theirs + ", " + mine +
         ") ELSE " + mine + " END, ";
  }
  return s + "collected_at = greatest(EXCLUDED.collected_at, " + t + ".collected_at)";
}

const std::string kViRow =
    "INSERT INTO vi_tweets AS v (account_id, tweet_id, author_handle, author_followers, author_id, "
    "content, impressions, likes, retweets, replies, quotes, bookmarks, posted_at, collected_at, "
    "query_topic, first_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
    "$14, $15, $14) ON CONFLICT (account_id, tweet_id) DO UPDATE SET "
    "author_followers = coalesce(EXCLUDED.author_followers, v.author_followers), " +
    counter_updates("v") + " RETURNING v.first_seen_at = $14::timestamptz";
const std::string kPeerRow =
    "INSERT INTO peer_posts AS p (account_id, tweet_id, peer_handle, peer_followers, content, "
    "impressions, likes, retweets, replies, quotes, bookmarks, posted_at, collected_at, "
    "first_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) "
    "ON CONFLICT (account_id, tweet_id) DO UPDATE SET "
    "peer_followers = coalesce(EXCLUDED.peer_followers, p.peer_followers), " +
    counter_updates("p") + " RETURNING p.first_seen_at = $13::timestamptz";
const std::string kReplyRow =
    "INSERT INTO reply_metrics AS r (account_id, tweet_id, parent_tweet_id, parent_author, "
    "content, impressions, likes, retweets, replies, quotes, bookmarks, posted_at, collected_at, "
    "conversation_id, first_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
    "$13, $14, $13) ON CONFLICT (account_id, tweet_id) DO UPDATE SET " +
    counter_updates("r") + " RETURNING r.first_seen_at = $13::timestamptz";

// The counters of an outside post worth storing: none (unknown) when the
// reading contradicts itself (a bad value, more engagement than views), as
// scrape-metrics keeps such a reading of ours from the latest values.
// Counted in the run's stats (`readings_set_aside`).
learn::PostCounts trusted_counts(HarvestRun& h, const x::Tweet& t) {
  if (learn::check_snapshot(t, std::nullopt, t.anomalies).trusted) return t;
  Json& n = h.run.stats["readings_set_aside"];
  n = n.is_number() ? n.get<long long>() + 1 : 1;
  return {};
}

constexpr const char* kSaveWatermark =
    "INSERT INTO harvest_watermarks (account_id, source, query_key, since_id, min_likes, "
    "last_read, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "ON CONFLICT (account_id, source, query_key) DO UPDATE SET since_id = EXCLUDED.since_id, "
    "min_likes = EXCLUDED.min_likes, last_read = EXCLUDED.last_read, updated_at = "
    "EXCLUDED.updated_at";
constexpr const char* kResolvedPeer =
    "UPDATE account_peers SET x_user_id = $3, followers = $4, not_found_at = NULL "
    "WHERE account_id = $1 AND handle = $2";
constexpr const char* kPeerNotFound =
    "UPDATE account_peers SET not_found_at = $3 WHERE account_id = $1 AND handle = $2";
// The best outside posts of the last 7 days that have replies.
constexpr const char* kReplyParentsSql =
    "SELECT tweet_id, handle FROM ("
    "  SELECT tweet_id, author_handle AS handle, likes, replies, posted_at FROM vi_tweets "
    "  WHERE account_id = $1 UNION ALL "
    "  SELECT tweet_id, peer_handle, likes, replies, posted_at FROM peer_posts WHERE account_id = "
    "$1"
    ") c WHERE posted_at > $2::timestamptz - interval '7 days' AND posted_at <= $2 "
    "AND replies > 0 ORDER BY likes DESC NULLS LAST, tweet_id DESC LIMIT $3";

// What one query read, over its pages.
struct QueryRead {
  std::vector<x::Tweet> tweets;
  std::map<std::string, x::UserInfo> users;
  std::string newest_id;
  bool complete = false;
};

// Reads pages while the purse allows; `fetch(size, token)` gets one.
template <typename Fetch>
QueryRead read_pages(HarvestRun& h, const std::string& source, const std::string& what,
                     double usd_each, int reads_each, int min_page, int max_pages, Fetch fetch) {
  QueryRead q;
  std::string token;
  for (int page = 0; page < max_pages; ++page) {
    const int size = h.spend.page_size(usd_each, reads_each, min_page);
    if (size == 0) {
      h.skip(source, what, h.spend.refuse(usd_each * min_page, reads_each * min_page));
      return q;
    }
    x::PostPage p = fetch(size, token);
    if (q.newest_id.empty()) q.newest_id = p.newest_id;
    for (auto& u : p.users) q.users[u.id] = u;
    for (auto& t : p.tweets) q.tweets.push_back(std::move(t));
    if (p.next_token.empty()) {
      q.complete = true;
      return q;
    }
    token = p.next_token;
  }
  return q;
}

std::optional<std::string> posted_at(const x::Tweet& t) {
  return t.created_at.empty() ? std::nullopt : std::optional<std::string>(t.created_at);
}

void save_watermark(pqxx::work& w, HarvestRun& h, const std::string& source, const std::string& key,
                    const std::string& since_id, std::optional<int> min_likes, size_t read) {
  w.exec_params0(kSaveWatermark, h.run.account.id, source, key,
                 since_id.empty() ? std::nullopt : std::optional<std::string>(since_id), min_likes,
                 static_cast<long long>(read), format_iso8601(h.run.now));
}

void finish(pqxx::work& w, HarvestRun& h) {
  if (!h.run.ctx.common.dry_run) w.commit();
}

std::string quoted(const std::string& topic) {
  std::string clean;
  for (char c : topic) clean += c == '"' ? ' ' : c;
  return "\"" + clean + "\"";
}

}  // namespace

// Recent search per topic: original posts in the account's language with at
// least min_likes likes, min_likes doubled when a run fills its pages and
// halved when it finds under ten, so the niche sets what counts as viral.
void harvest_viral(HarvestRun& h) {
  const double usd_each = h.spend.price(x::kPostRead) + h.spend.price(x::kUserRead);
  long long total_new = 0;
  for (const auto& topic : h.run.account.topics) {
    const auto mark = h.watermark("viral", topic);
    const int min_likes = mark.min_likes.value_or(kFirstMinLikes);
    const std::string query = quoted(topic) + " lang:" + h.settings.language +
                              " -is:retweet -is:reply min_likes:" + std::to_string(min_likes);
    QueryRead q = read_pages(h, "viral", query, usd_each, 2, 10, kMaxPages,
                             [&](int size, const std::string& token) {
                               x::SearchRequest r;
                               r.query = query;
                               r.max_results = size;
                               r.since_id = mark.since_id;
                               r.next_token = token;
                               return h.client.search_recent(r);
                             });
    pqxx::work w(h.run.conn);
    long long fresh = 0, stored = 0;
    for (const auto& t : q.tweets) {
      if (h.run.account.x_user_id && t.author_id == *h.run.account.x_user_id) continue;
      auto author = q.users.find(t.author_id);
      const std::string handle = author != q.users.end() ? author->second.username : t.author_id;
      const learn::Count followers =
          author != q.users.end() ? author->second.followers : learn::Count();
      const learn::PostCounts c = trusted_counts(h, t);
      const bool inserted =
          w.exec_params1(
               kViRow, h.run.account.id, t.id, handle, followers,
               t.author_id.empty() ? std::nullopt : std::optional<std::string>(t.author_id), t.text,
               c.impressions, c.likes, c.retweets, c.replies, c.quotes, c.bookmarks, posted_at(t),
               format_iso8601(h.run.now), topic)[0]
              .as<bool>();
      fresh += inserted ? 1 : 0;
      ++stored;
    }
    if (q.complete) {
      const size_t n = q.tweets.size();
      const int next_min = n >= 100 ? min_likes * 2
                           : n < 10 ? std::max(1, min_likes / 2)
                                    : min_likes;
      save_watermark(w, h, "viral", topic, q.newest_id.empty() ? mark.since_id : q.newest_id,
                     next_min, n);
    }
    finish(w, h);
    total_new += fresh;
    if (q.tweets.empty() && !q.complete) continue;  // skipped, said above
    emit({{"source", "viral"},
          {"query", query},
          {"read", q.tweets.size()},
          {"stored", stored},
          {"new", fresh},
          {"complete", q.complete}});
  }
  h.run.stats["vi_tweets_new"] = total_new;
}

// Each peer's new original posts (no retweets, no replies) since the newest
// one read; the first read goes back 7 days. A peer is resolved to its id once.
void harvest_peers(HarvestRun& h) {
  std::vector<db::Peer> peers;
  {
    pqxx::read_transaction t(h.run.conn);
    peers = db::list_peers(t, h.run.account.id);
  }
  long long total_new = 0;
  for (auto& peer : peers) {
    if (peer.not_found) {
      h.skip("peers", "@" + peer.handle, "X knows no such user");
      continue;
    }
    if (!peer.x_user_id) {
      if (auto why = h.spend.refuse(h.spend.price(x::kUserRead), 1); !why.empty()) {
        h.skip("peers", "@" + peer.handle, why);
        continue;
      }
      const auto user = h.client.user_by_username(peer.handle);
      pqxx::work w(h.run.conn);
      if (!user) {
        w.exec_params0(kPeerNotFound, h.run.account.id, peer.handle, format_iso8601(h.run.now));
        finish(w, h);
        h.skip("peers", "@" + peer.handle, "X knows no such user");
        continue;
      }
      w.exec_params0(kResolvedPeer, h.run.account.id, peer.handle, user->id, user->followers);
      finish(w, h);
      peer.x_user_id = user->id;
      peer.followers = user->followers;
    }
    // The account under another handle (renamed on X): its own posts are no peer's.
    if (peer.x_user_id == h.run.account.x_user_id) {
      h.skip("peers", "@" + peer.handle, "is the account itself (the same X user)");
      continue;
    }
    const auto mark = h.watermark("peers", *peer.x_user_id);
    QueryRead q = read_pages(h, "peers", "@" + peer.handle, h.spend.price(x::kPostRead), 1, 5,
                             kMaxPages, [&](int size, const std::string& token) {
                               x::TimelineRequest r;
                               r.user_id = *peer.x_user_id;
                               r.max_results = size;
                               r.since_id = mark.since_id;
                               if (mark.since_id.empty())
                                 r.start_time = h.run.now - std::chrono::hours(24 * 7);
                               r.pagination_token = token;
                               return h.client.user_posts(r);
                             });
    pqxx::work w(h.run.conn);
    long long fresh = 0;
    for (const auto& t : q.tweets) {
      const learn::PostCounts c = trusted_counts(h, t);
      fresh += w.exec_params1(kPeerRow, h.run.account.id, t.id, peer.handle, peer.followers, t.text,
                              c.impressions, c.likes, c.retweets, c.replies, c.quotes, c.bookmarks,
                              posted_at(t), format_iso8601(h.run.now))[0]
                       .as<bool>()
                   ? 1
                   : 0;
    }
    if (q.complete) {
      save_watermark(w, h, "peers", *peer.x_user_id,
                     q.newest_id.empty() ? mark.since_id : q.newest_id, std::nullopt,
                     q.tweets.size());
    }
    finish(w, h);
    total_new += fresh;
    if (q.tweets.empty() && !q.complete) continue;
    emit({{"source", "peers"},
          {"peer", peer.handle},
          {"read", q.tweets.size()},
          {"new", fresh},
          {"complete", q.complete}});
  }
  h.run.stats["peer_posts_new"] = total_new;
}

// Under the best peer and viral posts of the last 7 days, their most-liked
// replies (conversation_id: + is:reply + min_likes:), the seed's viral replies.
void harvest_replies(HarvestRun& h) {
  std::vector<std::pair<std::string, std::string>> parents;
  {
    pqxx::read_transaction t(h.run.conn);
    for (const auto& r : t.exec_params(kReplyParentsSql, h.run.account.id,
                                       format_iso8601(h.run.now), kReplyParents)) {
      parents.emplace_back(r[0].as<std::string>(), r[1].as<std::string>());
    }
  }
  const double usd_each = h.spend.price(x::kPostRead) + h.spend.price(x::kUserRead);
  long long total_new = 0;
  for (const auto& [parent, handle] : parents) {
    const auto mark = h.watermark("replies", parent);
    const std::string query =
        "conversation_id:" + parent + " is:reply min_likes:" + std::to_string(kReplyMinLikes);
    QueryRead q =
        read_pages(h, "replies", query, usd_each, 2, 10, 1, [&](int size, const std::string&) {
          x::SearchRequest r;
          r.query = query;
          r.max_results = std::min(size, 20);
          r.since_id = mark.since_id;
          r.by_relevancy = true;
          return h.client.search_recent(r);
        });
    pqxx::work w(h.run.conn);
    long long fresh = 0;
    std::string newest = mark.since_id;
    for (const auto& t : q.tweets) {
      if (newest.size() < t.id.size() || (newest.size() == t.id.size() && newest < t.id))
        newest = t.id;
      const learn::PostCounts c = trusted_counts(h, t);
      fresh += w.exec_params1(kReplyRow, h.run.account.id, t.id,
                              t.replied_to.empty() ? parent : t.replied_to, handle, t.text,
                              c.impressions, c.likes, c.retweets, c.replies, c.quotes, c.bookmarks,
                              posted_at(t), format_iso8601(h.run.now),
                              t.conversation_id.empty() ? parent : t.conversation_id)[0]
                       .as<bool>()
                   ? 1
                   : 0;
    }
    // One page by likes: its newest id bounds the next read of this thread.
    if (!q.tweets.empty() || q.complete) {
      save_watermark(w, h, "replies", parent, newest, kReplyMinLikes, q.tweets.size());
    }
    finish(w, h);
    total_new += fresh;
    if (q.tweets.empty() && !q.complete) continue;
    emit({{"source", "replies"}, {"parent", parent}, {"read", q.tweets.size()}, {"new", fresh}});
  }
  h.run.stats["replies_new"] = total_new;
}

}  // namespace gl::jobs
