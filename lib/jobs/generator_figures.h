// What update-generators learns of an account's posts, from one read of every
// format's posts: the gate report, each persona's figures (views, engagement
// rate, followers per 1000 views, 7-day trend), its reward arm and its topic
// arms. Each part gives what its own statement over the learners' frame
// (jobs/learning_sql.h) gave; tests/db/read_once_test.cpp holds them equal.
#pragma once

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/json_lines.h"
#include "learn/bandit.h"

namespace gl::jobs {

// A persona's figures over the format's gated posts.
struct GeneratorFigures {
  long long posts = 0;
  double mean_views = 0;
  double median_views = 0;                     // as percentile_cont(0.5) interpolates it
  std::optional<double> mean_engagement_rate;  // over the posts that know it
  // Over the posts whose followers gained are known; none without any, or without views.
  std::optional<double> followers_per_1000_views;
  // Mean ln(views) of the posts of the last 7 days and of those before.
  std::optional<double> recent_log_views, earlier_log_views;
  long long recent_posts = 0, earlier_posts = 0;
};

// What a format's posts give update-generators.
struct FormatGenerators {
  Json gates;                                       // as gate_report(t, scope) gives it
  std::map<std::string, GeneratorFigures> figures;  // by persona (learning_sql.h: persona_sql)
  std::vector<learn::BanditArm> arms;               // as arm_stats(t, scope, "generator", no decay)
  // By persona: its arm of each topic (lower(topic)), undecayed, unordered.
  std::map<std::string, std::vector<learn::BanditArm>> topics;
};

// Each format the account has a post of by `now`, from one statement over the
// posts and one counting the posted ones without metrics yet.
std::map<std::string, FormatGenerators> read_generator_formats(pqxx::transaction_base& t,
                                                               long long account_id, TimePoint now);

}  // namespace gl::jobs
