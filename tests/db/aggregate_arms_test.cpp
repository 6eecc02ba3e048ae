// aggregate sums its bandit arms in C++ over one lean read of the account's
// posts (jobs::read_scoped_formats with the tags): every family's arms must be
// what arm_stats_by_family's statement gives over the same posts, the tag
// family's key (the tags in byte order, joined by '+') included.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "core/clock.h"
#include "jobs/aggregate.h"
#include "jobs/arms.h"
#include "jobs/learning_data.h"
#include "jobs/learning_sql.h"
#include "support/json_same.h"
#include "support/planted.h"

using namespace gl;
using namespace gl::test;

namespace {

// The planted history in three formats, with gated and ungated posts, the
// imported past, formulas, and tags of every shape the key must read: several
// out of order, one upper case outside ASCII, duplicates, an empty tag, an
// empty array, NULL tags, and the same set written in two orders.
void history(TestDb& db) {
  plant_history(db, 150);
  plant_ungated(db, 6);
  plant_replies_and_imported(db);
  pqxx::work w(db.conn());
  w.exec("UPDATE learning_posts SET format = 'thread' WHERE right(tweet_id, 1) = '4'");
  w.exec(
      "UPDATE learning_posts SET formula_name = 'Question + Explanation' "
      "WHERE right(tweet_id, 1) IN ('1', '5')");
  w.exec(
      "UPDATE learning_posts SET tags = CASE right(tweet_id, 1) "
      "  WHEN '0' THEN ARRAY['zeta', 'Alpha', 'beta'] WHEN '1' THEN ARRAY['beta', 'zeta', 'Alpha'] "
      "  WHEN '2' THEN ARRAY['Ωmega', 'omega', 'a+b'] WHEN '3' THEN ARRAY['x', 'x'] "
      "  WHEN '4' THEN ARRAY['', 'health'] WHEN '5' THEN '{}'::text[] WHEN '8' THEN "
      "ARRAY[NULL]::text[] WHEN '6' THEN ARRAY[NULL, 'b', NULL]::text[] "
      "  ELSE tags END");
  w.commit();
}

void same_arms(const std::vector<learn::BanditArm>& a, const std::vector<learn::BanditArm>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    INFO(b[i].key);
    CHECK(a[i].key == b[i].key);
    CHECK(a[i].pulls == b[i].pulls);
    CHECK(close(a[i].weight, b[i].weight));
    CHECK(close(a[i].reward_sum, b[i].reward_sum));
    CHECK(close(a[i].reward_sq_sum, b[i].reward_sq_sum));
  }
}

}  // namespace

TEST_CASE("aggregate's arms over one lean read are the arms of arm_stats_by_family's statement") {
  TestDb db;
  history(db);
  const TimePoint now = *parse_iso8601(kPlantedNow);
  pqxx::read_transaction t(db.conn());
  const auto read = jobs::read_scoped_formats(t, 1, now, jobs::ScopedRead::kArms);
  const std::vector<std::string> families(std::begin(jobs::kBanditFamilies),
                                          std::end(jobs::kBanditFamilies));
  long long tag_arms = 0;
  for (const std::string format : {"single", "reply", "thread"}) {
    INFO(format);
    const auto lean = jobs::arm_stats_by_family(read.at(format).posts, families);
    const auto by_sql = jobs::arm_stats_by_family(t, {1, now, format}, families, /*decay=*/true);
    for (const auto& family : families) {
      INFO(family);
      same_arms(lean.at(family), by_sql.at(family));
    }
    tag_arms += static_cast<long long>(by_sql.at("tag").size());
  }
  // The history has what the test means: tag arms, in every format.
  CHECK(tag_arms >= 10);
  // Without asking, the tags are not read (learn-hourly's read stays lean).
  for (const auto& p : jobs::read_scoped_formats(t, 1, now).at("single").posts)
    CHECK(p.post.tags.empty());
}
