// Planted history for the learners: posts whose metrics follow a known truth
// (one topic, one hour and one generator clearly win), plus posts that fail
// the learning gates with numbers that would mislead if they were used.
#pragma once

#include <string>

#include "support/harness.h"

namespace gl::test {

inline constexpr const char* kPlantedNow = "2026-11-20T12:00:00Z";

// Adds `n` gated single posts over the 30 days before kPlantedNow (account 1,
// whose configured topics are the three planted ones).
void plant_history(TestDb& db, int n, unsigned seed = 1);

// Issue 18's history: 600 gated posts over the six days before `end` (account
// 1, UTC), 120 at each of 08, 11, 14, 17 and 20 h, three topics and personas
// in turn; the 14:00 posts get twice the views, at the same rates per view.
void plant_hour_history(TestDb& db, const std::string& end);

// Adds posts that fail the gates (too young, too few views or likes,
// unavailable) with absurd metrics on a topic, hour and generator of their own.
void plant_ungated(TestDb& db, int n);

// `n` posts of account 1 (made as plant_history makes it) in one statement,
// for a history longer than the predictor reads (jobs::kPredictorPosts), where
// plant_history's three inserts a post would be slow: from an hour before
// kPlantedNow back, 5 to 8 minutes apart, every tenth a reply (the rest
// single), every seventh with too few likes for the gates, the newest too
// young. Post i (0 the newest) is tweet 1910000000000000000 + i.
void plant_long_history(TestDb& db, int n);

// What a real account's learning_posts also hold, over plant_history's posts
// (by the last digit of their tweet ids): replies (7) and the imported past (3:
// source and generator 'imported', no persona's). The learners read each format
// apart and credit no persona with the imported posts; a history of single
// posts by personas alone would not show a learner that mixes them up.
void plant_replies_and_imported(TestDb& db);

// The replies' content_metadata rows as the posting tools write them (format
// 'reply', in reply to tweet 1799), after plant_replies_and_imported: what
// reads the format there (scrape-metrics, the count of posts without metrics
// yet) finds the replies learning_posts holds.
void plant_reply_metadata(TestDb& db);

// Texts of several hooks in place of plant_history's one, in content_metadata
// and learning_posts (by the last digit of the tweet id): a question asking for
// replies (1), a numbered list (2), a claim ending in a call to follow (3), a
// story with a link (4); the text analyses and formulas have something to tell apart.
void plant_hook_texts(TestDb& db);

}  // namespace gl::test
