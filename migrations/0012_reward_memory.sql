-- The reward model's memory (learn::choose_half_life): the half-life chosen
-- for an account and how many of its gated posts it was chosen on. The choice
-- refits the model twenty times, so learn-hourly makes it and the fits of
-- plan-post, aggregate and evaluate reuse it until 10% (at least 10) more posts
-- arrived, or a week passed (jobs/plan_inputs.h).
CREATE TABLE reward_memory (
  account_id      bigint PRIMARY KEY REFERENCES accounts (account_id),
  half_life_days  double precision NOT NULL CHECK (half_life_days > 0),
  posts           integer NOT NULL CHECK (posts >= 0),
  chosen_at       timestamptz NOT NULL
);
