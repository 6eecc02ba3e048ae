-- The local hours an account posts in (issue 18), both ends included; from > to
-- wraps past midnight (22-2 is 22, 23, 0, 1, 2). Every planning policy stays
-- within them. The default, 07:00-23:00, keeps a new account from posting at
-- night before it has any evidence that its audience reads then.
ALTER TABLE accounts
  ADD COLUMN posting_hour_from smallint NOT NULL DEFAULT 7 CHECK (posting_hour_from BETWEEN 0 AND 23),
  ADD COLUMN posting_hour_to   smallint NOT NULL DEFAULT 23 CHECK (posting_hour_to BETWEEN 0 AND 23);
