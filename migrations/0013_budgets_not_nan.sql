-- A NaN budget passes `>= 0` (PostgreSQL orders NaN above every number) and
-- would lift harvest's spend cap: budgets are numbers.
ALTER TABLE harvest_settings
  ADD CONSTRAINT harvest_settings_daily_budget_number CHECK (daily_budget_usd <> 'NaN'),
  ADD CONSTRAINT harvest_settings_monthly_budget_number CHECK (monthly_budget_usd <> 'NaN');

-- plan-post no longer lists the topics of its past posts (a topic taken off
-- the account's list is not planned again): 0011's index has no reader.
DROP INDEX content_metadata_topics;
