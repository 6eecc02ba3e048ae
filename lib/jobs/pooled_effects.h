// What the accounts of one database share (issue 10): each account's reward
// posterior per feature, fitted on its own posts only, kept in reward_effects
// by aggregate; plan-post pools the other accounts' (learn/pooled_prior.h)
// into the prior mean of its own fit. Accounts with `pooling` off neither
// give nor take.
#pragma once

#include <pqxx/pqxx>

#include "core/clock.h"
#include "learn/pooled_prior.h"
#include "learn/reward_model.h"

namespace gl::jobs {

// Replaces the account's rows with `model`'s features that have posts; returns how many.
long long store_reward_effects(pqxx::transaction_base& t, long long account_id,
                               const learn::RewardModel& model, TimePoint now);

// The other accounts' effects pooled, or an empty prior when this account or
// every other one has pooling off.
learn::PooledPrior load_pooled_prior(pqxx::transaction_base& t, long long account_id);

}  // namespace gl::jobs
