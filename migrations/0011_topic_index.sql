-- The topics of an account's planned posts, for plan-post's list of topics
-- (those of the last 90 days, read at every plan): an index plan-post walks
-- from one topic to the next, a probe per topic, instead of reading every post
-- of the 90 days (8 ms at 10,000 posts). Its columns are never updated, so the
-- updates of scrape-metrics and publish stay as they were.
CREATE INDEX content_metadata_topics ON content_metadata (account_id, source, lower(topic), created_at);
