-- Pooling what the accounts of one database learned (issue 10): each account's
-- reward-model posterior per feature, fitted on its own posts only and kept by
-- aggregate, is the other accounts' prior mean (learn/pooled_prior.h).
-- `pooling` opts an account out (accounts add HANDLE --pooling off): its effects
-- are then not read by the others, and its plans use no one else's.
ALTER TABLE accounts ADD COLUMN pooling boolean NOT NULL DEFAULT true;

CREATE TABLE reward_effects (
  account_id  bigint NOT NULL REFERENCES accounts (account_id),
  feature     text NOT NULL,                          -- "hook=question", "hour=14", ...
  posts       integer NOT NULL CHECK (posts > 0),     -- the account's posts with it
  effect      double precision NOT NULL,              -- posterior mean, against the average post
  sd          double precision NOT NULL CHECK (sd > 0),
  prior_sd    double precision NOT NULL CHECK (prior_sd > 0),
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, feature)
);
