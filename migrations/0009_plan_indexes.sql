-- Indexes for what plan-post reads at every plan (issue 16: one plan on an
-- account of 10,000 posts took 0.4 s, most of it reading whole tables).

-- The posts around a time, by when they went or go out: plan-post's posts of
-- the last three days and the queue, and the reward model's repetition windows.
CREATE INDEX content_metadata_out_at ON content_metadata (account_id, (coalesce(posted_at, scheduled_at)));

-- The newest posts written, for the drafts' duplicate checks.
CREATE INDEX content_metadata_recent ON content_metadata (account_id, created_at)
  WHERE status IN ('queued', 'posting', 'posted');

-- The learners' newest posts of a format (jobs/learning_data.h: the newest
-- 2,000 of the reward model, in the order they are read).
CREATE INDEX learning_posts_newest ON learning_posts (account_id, format, posted_at DESC, tweet_id DESC);

-- Not indexed: the best posts by engagement rate (the LLM prompt's examples).
-- scrape-metrics rewrites every young post's engagement rate at each pass, and
-- an index on it would make each of those updates write the index too (no HOT
-- update), to save a top-3 sort of one account's posts per plan.
