-- Pooling what the accounts of one database learned (issue 10): each account's
-- reward-model posterior per feature, fitted on its own posts only and kept by
-- aggregate, is the other accounts' prior mean (learn/pooled_prior.h).
-- `pooling` opts an account in (accounts add HANDLE --pooling on): only then are
-- its effects read by the others, and do its plans use theirs. Off by default:
-- the accounts of one database may have different owners.
ALTER TABLE accounts ADD COLUMN pooling boolean NOT NULL DEFAULT false;

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
