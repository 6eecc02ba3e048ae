-- An account can stop posting without being removed (its history stays and keeps
-- learning): plan-post and publish do nothing for an account with posting off.
ALTER TABLE accounts ADD COLUMN posting boolean NOT NULL DEFAULT true;
