-- The account's posts on X by decision, with their format: what the learners'
-- count of posts without metrics yet reads (jobs/learning_data.cpp and
-- jobs/generator_figures.cpp: posted, and no learning_posts row) in an
-- index-only scan beside learning_posts' own (account_id, decision_id) index,
-- instead of the heap page of every posted row: 2,100 pages at 10,000 posts,
-- 8 of update-generators' 60 ms (issue 16). Numbered 0018: main's 0017 came
-- first.
CREATE INDEX content_metadata_posted_decisions ON content_metadata (account_id, decision_id)
  INCLUDE (format) WHERE status = 'posted';
