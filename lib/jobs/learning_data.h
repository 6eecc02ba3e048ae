// What the learners read: the gated posts of a format, and a report of what
// the learning gates let through and why the rest was skipped.
#pragma once

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

// {"posts_used": n, "posts_skipped": {"age_below_2h": n, ...}} for the scope's format.
Json gate_report(pqxx::transaction_base& t, const LearningScope& scope);

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
                                    int limit = 5000);

}  // namespace gl::jobs
