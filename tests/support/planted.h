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

}  // namespace gl::test
