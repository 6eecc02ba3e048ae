// Planted history for the learners: posts whose metrics follow a known truth
// (one topic, one hour and one generator clearly win), plus posts that fail
// the learning gates with numbers that would mislead if they were used.
#pragma once

#include <string>

#include "support/harness.h"

namespace gl::test {

inline constexpr const char* kPlantedNow = "2026-11-20T12:00:00Z";

// Adds `n` gated single posts over the 30 days before kPlantedNow (account 1).
void plant_history(TestDb& db, int n, unsigned seed = 1);

// Adds posts that fail the gates (too young, too few views or likes,
// unavailable) with absurd metrics on a topic, hour and generator of their own.
void plant_ungated(TestDb& db, int n);

}  // namespace gl::test
