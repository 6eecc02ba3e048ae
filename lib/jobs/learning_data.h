// What the learners read: the gated posts of a format, and a report of what
// the learning gates let through and why the rest was skipped.
#pragma once

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json_lines.h"
#include "jobs/learning_sql.h"
#include "learn/rules.h"
#include "learn/text_features.h"

namespace gl::jobs {

inline constexpr const char* kFormats[] = {"single", "thread", "reply"};

// What load_posts reads for the predictor: the newest this many posts.
inline constexpr int kPredictorPosts = 5000;

// {"posts_used": n, "posts_skipped": {"age_below_2h": n, ...}} for the scope's format.
Json gate_report(pqxx::transaction_base& t, const LearningScope& scope);

// What gate_report counts as no_metrics_yet, for every format of the account
// in one statement (a format without such posts is absent).
std::map<std::string, long long> posts_without_metrics(pqxx::transaction_base& t,
                                                       long long account_id);

struct LearnedPost {
  std::string tweet_id, decision_id, content, generator, topic, formula, hook, format;
  std::vector<std::string> tags;
  TimePoint posted_at;
  int hour = 0, weekday = 0;
  double spacing_hours = 24;
  double age_at_collection_hours = 0;  // how mature the metrics are
  learn::PostOutcome metrics;
  std::optional<double> engagement_rate;
  double reward = 0;  // 0 for a post that does not pass the gates (load_posts)
  bool available = true;
  // The stored analysis of the content (jobs/post_text.h); none when not stored yet.
  std::optional<learn::TextFeatures> text;
  bool unavailable_notice = false;  // valid with `text`
};

// The newest `limit` gated posts of the scope's format, oldest first.
std::vector<LearnedPost> load_gated_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                          int limit = 5000);

// The newest `limit` posts of the scope's format, gated or not, oldest first:
// for a learner that reads the gates' verdict itself (learn::evaluate_gates).
std::vector<LearnedPost> load_posts(pqxx::transaction_base& t, const LearningScope& scope,
                                    int limit = kPredictorPosts);

// A post of the scope's format with what every part of a learner's run reads
// of it, for a run that reads the format's posts once and hands them to each
// part (learn-hourly) instead of each part reading them again.
struct ScopedPost {
  LearnedPost post;  // reward as `scored` gives it, 0 when the post does not pass the gates;
                     // spacing_hours only among the newest kPredictorPosts (else 24)
  std::optional<std::string> gate_failure;  // posts.gate_failure: none when it passes
  bool success = false;                     // posts.success
  bool imported = false;                    // the account's imported past (source)
  double weight = 0;      // the bandits' decay weight at scope.now (arms.h, decay_weight_sql)
  std::string topic_key;  // lower(topic), as PostgreSQL lowers it (the arms' topic key)
  std::optional<std::string> hook_type, formula_name;  // NULL stays none
  std::string content_md5;  // as post_text_features keys the stored analysis

  bool gated() const { return !gate_failure; }
};

// Every post of the scope's format, oldest first (posted_at, tweet_id), in one
// statement: the same rows and values posts, gated and scored give.
std::vector<ScopedPost> read_scoped_posts(pqxx::transaction_base& t, const LearningScope& scope);

// gate_report over the posts read by read_scoped_posts: only the posts
// without metrics yet are counted in SQL.
Json gate_report(pqxx::transaction_base& t, const LearningScope& scope,
                 const std::vector<ScopedPost>& posts);

// The same from counts the caller took of the posts it read: how many pass the
// gates, how many fail at each (by gate_failure), and posts_without_metrics.
Json gate_report(long long used, const std::map<std::string, long long>& failed,
                 long long no_metrics);

// Where the newest kPredictorPosts of posts read oldest first (read_scoped_posts)
// begin: from there on they are what load_posts reads, the reward aside
// (load_posts gives 0; the predictor reads none).
size_t newest_posts_from(const std::vector<ScopedPost>& posts);

// What a run read of a format once, for every part of it: the posts and their gate report.
struct FormatRead {
  std::vector<ScopedPost> posts;
  Json gates;
};

// read_scoped_posts and gate_report of every format of kFormats, each present
// (no posts: an empty list), from one statement over the account's posts, one
// over its posted times (the spacing) and one counting the posts without
// metrics yet (posts_without_metrics). The gates, the reward (against the
// format's account rates), the decay weight and the spacing are computed here
// by their C++ forms (learn/rules.h, learn/bandit.h), the md5 of each content
// too (core/md5.h): the same posts and values as read_scoped_posts' statement
// within rounding (tests/db/read_once_test.cpp), at a third of its server time,
// the tags aside (no part of learn-hourly reads them).
// kArms reads what the bandit arms need (arms.h) and no more: the tags too, but
// neither the content (empty, no md5), the gate report (`gates` stays null)
// nor the spacing (24), two statements fewer.
enum class ScopedRead { kLearner, kArms };
std::map<std::string, FormatRead> read_scoped_formats(pqxx::transaction_base& t,
                                                      long long account_id, TimePoint now,
                                                      ScopedRead what = ScopedRead::kLearner);

}  // namespace gl::jobs
