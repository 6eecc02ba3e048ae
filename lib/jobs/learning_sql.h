// The rules of learn/rules.h in SQL, generated from the same constants, and
// the one frame every learning statement is written in: the caller names who,
// when and which format (a LearningScope), writes its SELECT over relations
// the frame defines, and never counts positional parameters.
// tests/db/rules_test checks that each SQL form agrees with its C++ form.
#pragma once

#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/clock.h"
#include "learn/rules.h"

namespace gl::jobs {

// Expressions over a row alias with learning_posts' counter columns. They take
// no parameters; each is NULL exactly where its C++ form is unknown.
std::string engagement_rate_sql(const std::string& alias);  // learn::engagement_rate
// The same over any expression for each counter column, by its name.
std::string engagement_rate_sql(const std::function<std::string(const char* column)>& column);
std::string meets_success_sql(const std::string& alias);  // learn::meets_success, never NULL
// learn::post_reward, against the account's rates in the relation `prior`.
std::string reward_sql(const std::string& alias);
// The reserved generator of migration 0005: the account's imported past.
inline constexpr char kImportedGenerator[] = "imported";
// The persona a post is credited to: its generator, NULL for the imported past,
// which no persona wrote.
std::string persona_sql(const std::string& alias);

// The counters as learning_posts and outcomes hold them, in read_counts' order.
std::string counts_sql(const std::string& alias);
// Reads the columns of counts_sql from `first` on (url_clicks stays unknown).
learn::PostCounts read_counts(const pqxx::row& r, int first);

// Who and when a learning statement is about.
struct LearningScope {
  long long account_id = 0;
  TimePoint now;
  std::string format;
};

// A statement over one account's learning_posts of one format at one time.
// The caller's SELECT reads these relations:
//   scope   account_id, now, format (one row)
//   posts   the scope's learning_posts posted by scope.now, plus gate_failure
//           (the first gate the post fails at scope.now, named as
//           learn::gate_failure_name; NULL when it passes) and success (it
//           passes and meets the success rule)
//   gated   the posts that pass the learning gates
//   prior   the account's rate per impression of each reward action over the
//           gated posts (one row; columns named as learn::kRewardActions)
//   scored  the gated posts with their reward
class LearningQuery {
 public:
  explicit LearningQuery(LearningScope scope);

  // Binds a value of the caller's own; returns its placeholder for the SELECT.
  std::string bind(long long value);
  // A relation of the caller's own, defined after scored (its body may read the
  // relations above and those defined before it), for the SELECT to read.
  void define(const std::string& name, const std::string& body);

  std::string statement(const std::string& select) const;
  pqxx::result exec(pqxx::transaction_base& t, const std::string& select) const;

 private:
  LearningScope scope_;
  std::vector<std::string> extra_;  // bound values, as text, after the scope's three
  std::string defined_;             // ", name AS (body)" of each define()
};

}  // namespace gl::jobs
