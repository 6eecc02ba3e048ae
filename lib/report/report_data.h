// What the HTML report shows, one struct per section, as lib/report/gather
// reads it from the database and lib/report/html renders it. Plain data: the
// renderer and its tests need no database. A section with nothing to show
// says what is missing and how to get it in `missing` (empty when it has data).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/json_lines.h"

namespace gl::report {

// The learning curve: the learners' reward (learn/rules.h) of the gated posts, per week.
struct WeekReward {
  std::string week_start;  // ISO date of the week's Monday (UTC)
  long long posts = 0;
  double mean_reward = 0;
  // 95% interval of the week's mean (normal, sample sd); none from one post.
  std::optional<double> low, high;
};

// An off-policy estimate of a policy's mean reward (evaluate), where it exists.
struct PolicyEstimate {
  std::string policy, estimator;
  std::optional<double> value, low, high;
  std::string warning;
};

struct LearningCurve {
  std::vector<WeekReward> weeks;
  std::vector<PolicyEstimate> estimates;
  std::string estimates_note;  // where the estimates come from, or why there are none
  std::string missing;
};

// When to post: the reward by local weekday and hour, each cell with its evidence.
struct HeatCell {
  int weekday = 0;  // 0 = Sunday, as learning_posts.posted_weekday_local
  int hour = 0;
  long long posts = 0;
  double mean_reward = 0;   // posterior mean, shrunk toward the account's mean
  double effect = 0;        // against the account's mean reward
  double confidence = 0.5;  // P(the cell beats the account's mean)
  bool sufficient = false;  // the summary's evidence rule
};

struct WhenToPost {
  std::string timezone;
  std::optional<double> account_mean;  // none without gated posts
  std::vector<HeatCell> cells;
  std::vector<int> best_hours;  // the learning summary's best_posting_hours
  std::string missing;
};

// What works: the learning summary's ranked and insufficient items per family.
struct RankedItem {
  std::string key;
  long long posts = 0;
  double effect = 0, low = 0, high = 0, confidence = 0.5;
  bool sufficient = false;                // false: insufficient_evidence
  std::optional<double> engagement_rate;  // personas
  std::string example;                    // formulas: the formula's real example
  std::string structure;                  // formulas
};

struct FamilyRanking {
  std::string family;             // topic, hour, hook, persona, formula
  std::vector<RankedItem> items;  // ranked (best first), then insufficient evidence
};

struct WhatWorks {
  std::string summary_at;  // the learning summary's time
  long long posts_used = 0;
  std::map<std::string, long long> posts_skipped;  // by first gate failure
  std::optional<double> account_mean_reward;       // none without gated posts
  std::vector<FamilyRanking> families;
  long long formulas_learned = 0;  // viral_formulas of the format, used in posts or not
  std::string stale;               // the summary's stale_data, said in words
  std::string missing;
};

// Followers: growth over time and what drove it.
struct FollowerPoint {
  double epoch = 0;  // seconds
  std::string at;
  long long followers = 0;
};

struct AttributedPost {
  std::string tweet_id, content, topic;
  double followers_gained = 0;
  double confidence = 0;  // mean of its windows' confidence, weighted by |share|
  long long windows = 0;
};

struct FollowerDriver {
  std::string dimension, key;
  long long posts = 0;
  double per_1000_views = 0;
};

struct Followers {
  std::vector<FollowerPoint> series;
  std::vector<AttributedPost> top_posts;
  std::vector<FollowerDriver> drivers;
  double attributed_total = 0;
  double mean_confidence = 0;
  std::string missing;
};

// The predictor: its held-out fit against the mean, and its predictions against what came.
struct TargetFit {
  std::string target;
  bool trained = false;
  long long train_samples = 0, holdout_samples = 0;
  double holdout_rmse = 0, baseline_rmse = 0, spearman = 0, r2 = 0;
  bool beats_mean = false;
  std::string reason;  // why it is not trained
};

struct PredictionPoint {
  double predicted = 0, actual = 0;
};

struct Predictor {
  std::optional<long long> version;
  std::string trained_at;
  bool used_for_planning = false;
  std::vector<TargetFit> targets;
  // What plan-post predicted when it planned each post (before X saw it, so held out by
  // construction) against what the post got: views, and the engagement rate.
  std::vector<PredictionPoint> views;
  std::vector<PredictionPoint> engagement_rates;
  std::string missing;
};

// What comes next: the queue.
struct Choice {
  std::string family, chosen;
  double p = 0;
};

struct QueuedPost {
  std::string scheduled_at, local_slot, content, topic, persona, hook, formula, policy;
  std::vector<Choice> choices;
  std::optional<double> plan_p;
  std::optional<double> predicted_views, predicted_engagement;
};

struct Queue {
  std::vector<QueuedPost> posts;
  std::string missing;
};

// Operations: every tool's last success and failure, and API spend.
struct ToolStatus {
  std::string tool;
  long long runs = 0, failures = 0;
  std::string last_ok_at, last_failure_at;  // wall clock, empty when never
  std::optional<int> last_exit_code;
  std::string last_error;
};

struct DaySpend {
  std::string day;
  long long requests = 0, resources = 0;
  double usd = 0;
};

struct Operations {
  std::vector<ToolStatus> tools;
  bool usage_recorded = false;  // api_usage exists in this schema
  std::vector<DaySpend> spend;
  std::string spend_missing;
  std::string missing;
};

struct Report {
  std::string handle, timezone, generated_at;  // generated_at: the run's --now
  LearningCurve curve;
  WhenToPost when;
  WhatWorks works;
  Followers followers;
  Predictor predictor;
  Queue queue;
  Operations operations;
};

Json to_json(const Report& r);

}  // namespace gl::report
