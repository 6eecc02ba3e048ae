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

-- The best posts that passed the gates, the LLM prompt's examples.
CREATE INDEX learning_posts_best ON learning_posts (account_id, engagement_rate DESC NULLS LAST)
  WHERE passed_gates;
