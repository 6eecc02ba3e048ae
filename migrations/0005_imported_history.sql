-- Posts imported from the account's own past (import-history): X's archive and
-- analytics exports. They are history, not plans: status posted, source
-- imported, written by no persona.

-- Where a post came from: planned by growthloop, or imported from an export.
ALTER TABLE content_metadata ADD COLUMN source text NOT NULL DEFAULT 'planned'
  CHECK (source IN ('planned', 'imported'));
ALTER TABLE learning_posts ADD COLUMN source text NOT NULL DEFAULT 'planned'
  CHECK (source IN ('planned', 'imported'));

-- An analytics export names a reply's text but not its parent: an imported
-- reply may not know what it answered.
ALTER TABLE content_metadata DROP CONSTRAINT content_metadata_check2;
ALTER TABLE content_metadata ADD CONSTRAINT content_metadata_reply_parent
  CHECK (format <> 'reply' OR in_reply_to_tweet_id IS NOT NULL OR source = 'imported');

-- A snapshot read from an export rather than from the X API.
ALTER TABLE tweet_metrics DROP CONSTRAINT tweet_metrics_metrics_source_check;
ALTER TABLE tweet_metrics ADD CONSTRAINT tweet_metrics_metrics_source_check
  CHECK (metrics_source IN ('public', 'organic', 'imported'));

-- No persona wrote the account's past posts. They belong to this reserved,
-- disabled generator, so the learners credit no persona with them and
-- plan-post never writes as it.
INSERT INTO generators (generator_name, description, prompt_style, enabled) VALUES
  ('imported', 'the account''s own past posts, imported from its X exports; no persona wrote them',
   'Not a persona: never planned with.', false);
