-- What evaluate estimated (issue 11): each policy's off-policy estimate of
-- the mean reward per post on the account's own log, per estimator, as of a
-- run. The report draws them beside the learning curve; plan-post
-- --exploration auto chooses Thompson's spread from the latest.
CREATE TABLE policy_estimates (
  account_id    bigint NOT NULL REFERENCES accounts (account_id),
  evaluated_at  timestamptz NOT NULL,  -- the run's business clock
  policy        text NOT NULL,         -- as given: random, epsilon:0.2, thompson:0.1, ...
  estimator     text NOT NULL CHECK (estimator IN ('realised', 'ips', 'snips', 'dr', 'truth', 'none')),
  exploration   double precision,      -- a Thompson policy's spread
  since         timestamptz,           -- the log's start (evaluate --since), NULL for all of it
  posts         integer NOT NULL CHECK (posts >= 0),
  value         double precision,      -- NULL with a warning: no support for a number
  ci_low        double precision,
  ci_high       double precision,
  ess           double precision,
  support       double precision CHECK (support BETWEEN 0 AND 1),
  warning       text,
  PRIMARY KEY (account_id, evaluated_at, policy, estimator)
);
