-- Runs that ended without recording their outcome, and tweets X reported
-- not found once.
--
-- A run killed (kill -9, OOM) or cut off from the database leaves its job_runs
-- row 'running'. The next run of the same tool and account holds the advisory
-- lock, so it knows the older row's run is over and marks it 'stale': a
-- failure whose exit code nobody saw.
ALTER TABLE job_runs DROP CONSTRAINT job_runs_status_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_status_check
  CHECK (status IN ('running', 'ok', 'failed', 'stale'));

-- When X first answered "not found" (or deleted, protected, suspended) for a
-- posted tweet. The tweet is read once more later; only a second such answer
-- marks it unavailable for good, and any answer with metrics clears this.
ALTER TABLE content_metadata ADD COLUMN not_found_at timestamptz;
