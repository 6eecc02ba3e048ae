-- growthloop schema. Every per-account table carries account_id in every primary,
-- unique and foreign key, so the schema distributes by account on Citus
-- (create_distributed_table(..., 'account_id')) without a rewrite. accounts and
-- generators are small shared registries (Citus reference tables).
-- Unknown metrics are NULL, never 0.

CREATE TABLE schema_migrations (
  name        text PRIMARY KEY,
  checksum    text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
  applied_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  account_id  bigserial PRIMARY KEY,
  handle      text NOT NULL CHECK (handle ~ '^[A-Za-z0-9_]{1,15}$'),
  x_user_id   text CHECK (x_user_id ~ '^[0-9]{1,19}$'),
  timezone    text NOT NULL DEFAULT 'UTC',
  topics      text[] NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- X handles are case-insensitive.
CREATE UNIQUE INDEX accounts_handle_key ON accounts (lower(handle));

CREATE TABLE generators (
  generator_name  text PRIMARY KEY CHECK (generator_name ~ '^[A-Za-z][A-Za-z0-9_]{0,39}$'),
  description     text NOT NULL CHECK (description <> ''),
  prompt_style    text NOT NULL CHECK (prompt_style <> ''),
  enabled         boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- The planned/generated post and, once posted, the dashboard's view of its metrics.
CREATE TABLE content_metadata (
  account_id            bigint NOT NULL REFERENCES accounts (account_id),
  decision_id           uuid NOT NULL DEFAULT gen_random_uuid(),
  generator_name        text NOT NULL REFERENCES generators (generator_name),
  topic                 text NOT NULL CHECK (topic <> ''),
  formula_name          text,
  hook_type             text,
  format                text NOT NULL DEFAULT 'single' CHECK (format IN ('single', 'thread', 'reply')),
  tags                  text[] NOT NULL DEFAULT '{}',
  content               text NOT NULL CHECK (btrim(content) <> ''),
  thread_parts          text[],     -- format = thread: the parts after the first
  in_reply_to_tweet_id  text CHECK (in_reply_to_tweet_id ~ '^[0-9]{1,19}$'),
  predicted_engagement  double precision CHECK (predicted_engagement >= 0),
  predicted_views       double precision CHECK (predicted_views >= 0),
  choice_probabilities  jsonb,      -- P(each choice) when planned, for off-policy evaluation
  rationale             jsonb,
  status                text NOT NULL DEFAULT 'planned'
                        CHECK (status IN ('planned', 'queued', 'posting', 'posted', 'failed', 'cancelled')),
  failure_reason        text,
  scheduled_at          timestamptz,
  posting_started_at    timestamptz,
  posted_at             timestamptz,
  tweet_id              text CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  -- collection state: pending (never read), collected, unavailable (deleted/protected), done
  metrics_state         text NOT NULL DEFAULT 'pending'
                        CHECK (metrics_state IN ('pending', 'collected', 'unavailable', 'done')),
  unavailable_reason    text,
  last_collected_at     timestamptz,
  next_collect_at       timestamptz,
  collect_count         integer NOT NULL DEFAULT 0 CHECK (collect_count >= 0),
  actual_impressions    bigint CHECK (actual_impressions >= 0),
  actual_likes          bigint CHECK (actual_likes >= 0),
  actual_retweets       bigint CHECK (actual_retweets >= 0),
  actual_replies        bigint CHECK (actual_replies >= 0),
  actual_quotes         bigint CHECK (actual_quotes >= 0),
  actual_bookmarks      bigint CHECK (actual_bookmarks >= 0),
  actual_profile_clicks bigint CHECK (actual_profile_clicks >= 0),
  actual_engagement_rate double precision CHECK (actual_engagement_rate >= 0),
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, decision_id),
  UNIQUE (account_id, tweet_id),
  CHECK (status <> 'posted' OR (tweet_id IS NOT NULL AND posted_at IS NOT NULL)),
  CHECK (status <> 'queued' OR scheduled_at IS NOT NULL),
  CHECK (format <> 'reply' OR in_reply_to_tweet_id IS NOT NULL)
);
CREATE INDEX content_metadata_due ON content_metadata (account_id, next_collect_at)
  WHERE status = 'posted' AND metrics_state IN ('pending', 'collected');
CREATE INDEX content_metadata_queue ON content_metadata (account_id, scheduled_at)
  WHERE status IN ('queued', 'posting');
CREATE INDEX content_metadata_posted ON content_metadata (account_id, posted_at)
  WHERE status = 'posted';

-- Latest metrics per decision: the primary store the learners read.
CREATE TABLE outcomes (
  account_id        bigint NOT NULL,
  decision_id       uuid NOT NULL,
  tweet_id          text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  impressions       bigint CHECK (impressions >= 0),
  likes             bigint CHECK (likes >= 0),
  retweets          bigint CHECK (retweets >= 0),
  replies           bigint CHECK (replies >= 0),
  quotes            bigint CHECK (quotes >= 0),
  bookmarks         bigint CHECK (bookmarks >= 0),
  profile_clicks    bigint CHECK (profile_clicks >= 0),
  url_clicks        bigint CHECK (url_clicks >= 0),
  engagement_rate   double precision CHECK (engagement_rate >= 0),
  impressions_per_hour double precision CHECK (impressions_per_hour >= 0),
  followers_gained  double precision,
  follower_attribution_confidence double precision
                    CHECK (follower_attribution_confidence BETWEEN 0 AND 1),
  available         boolean NOT NULL DEFAULT true,
  passed_gates      boolean NOT NULL DEFAULT false,
  gate_failures     text[] NOT NULL DEFAULT '{}',
  successful        boolean NOT NULL DEFAULT false,
  anomalies         text[] NOT NULL DEFAULT '{}',
  collected_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, decision_id),
  FOREIGN KEY (account_id, decision_id) REFERENCES content_metadata (account_id, decision_id)
    ON DELETE CASCADE
);

-- Per-tweet learning record: the post's features next to its latest metrics.
CREATE TABLE learning_posts (
  account_id        bigint NOT NULL,
  tweet_id          text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  decision_id       uuid NOT NULL,
  content           text NOT NULL,
  generator_name    text NOT NULL,
  topic             text NOT NULL,
  formula_name      text,
  hook_type         text,
  format            text NOT NULL CHECK (format IN ('single', 'thread', 'reply')),
  tags              text[] NOT NULL DEFAULT '{}',
  posted_at         timestamptz NOT NULL,
  posted_hour_local smallint NOT NULL CHECK (posted_hour_local BETWEEN 0 AND 23),
  posted_weekday_local smallint NOT NULL CHECK (posted_weekday_local BETWEEN 0 AND 6),
  impressions       bigint CHECK (impressions >= 0),
  likes             bigint CHECK (likes >= 0),
  retweets          bigint CHECK (retweets >= 0),
  replies           bigint CHECK (replies >= 0),
  quotes            bigint CHECK (quotes >= 0),
  bookmarks         bigint CHECK (bookmarks >= 0),
  profile_clicks    bigint CHECK (profile_clicks >= 0),
  engagement_rate   double precision CHECK (engagement_rate >= 0),
  followers_gained  double precision,
  available         boolean NOT NULL DEFAULT true,
  passed_gates      boolean NOT NULL DEFAULT false,
  successful        boolean NOT NULL DEFAULT false,
  collected_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, tweet_id),
  UNIQUE (account_id, decision_id),
  FOREIGN KEY (account_id, decision_id) REFERENCES content_metadata (account_id, decision_id)
    ON DELETE CASCADE
);
CREATE INDEX learning_posts_gated ON learning_posts (account_id, format, posted_at)
  WHERE passed_gates;

-- Append-only time series: one row per collection, so velocity can be computed.
CREATE TABLE tweet_metrics (
  account_id        bigint NOT NULL,
  tweet_id          text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  collected_at      timestamptz NOT NULL,
  decision_id       uuid NOT NULL,
  age_hours         double precision NOT NULL CHECK (age_hours >= 0),
  impressions       bigint CHECK (impressions >= 0),
  likes             bigint CHECK (likes >= 0),
  retweets          bigint CHECK (retweets >= 0),
  replies           bigint CHECK (replies >= 0),
  quotes            bigint CHECK (quotes >= 0),
  bookmarks         bigint CHECK (bookmarks >= 0),
  profile_clicks    bigint CHECK (profile_clicks >= 0),
  url_clicks        bigint CHECK (url_clicks >= 0),
  engagement_rate   double precision CHECK (engagement_rate >= 0),
  metrics_source    text NOT NULL CHECK (metrics_source IN ('public', 'organic')),
  anomalies         text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (account_id, tweet_id, collected_at),
  FOREIGN KEY (account_id, decision_id) REFERENCES content_metadata (account_id, decision_id)
    ON DELETE CASCADE
);
CREATE INDEX tweet_metrics_recent ON tweet_metrics (account_id, collected_at);

CREATE TABLE follower_snapshots (
  account_id       bigint NOT NULL REFERENCES accounts (account_id),
  taken_at         timestamptz NOT NULL,
  followers_count  bigint NOT NULL CHECK (followers_count >= 0),
  following_count  bigint CHECK (following_count >= 0),
  tweet_count      bigint CHECK (tweet_count >= 0),
  listed_count     bigint CHECK (listed_count >= 0),
  PRIMARY KEY (account_id, taken_at)
);

-- A follower change between two snapshots, split across the posts live in that window.
CREATE TABLE follower_attribution (
  account_id        bigint NOT NULL,
  tweet_id          text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  window_start      timestamptz NOT NULL,
  window_end        timestamptz NOT NULL CHECK (window_end > window_start),
  decision_id       uuid NOT NULL,
  window_delta      bigint NOT NULL,            -- the account's change over the window
  posts_in_window   integer NOT NULL CHECK (posts_in_window > 0),
  basis             text NOT NULL CHECK (basis IN ('profile_clicks', 'impressions', 'even')),
  share             double precision NOT NULL CHECK (share BETWEEN 0 AND 1),
  followers_gained  double precision NOT NULL,
  confidence        double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  PRIMARY KEY (account_id, tweet_id, window_end),
  FOREIGN KEY (account_id, decision_id) REFERENCES content_metadata (account_id, decision_id)
    ON DELETE CASCADE
);

-- Our replies to other accounts' posts, with their metrics (viral replies: 10K-100K views).
CREATE TABLE reply_metrics (
  account_id        bigint NOT NULL REFERENCES accounts (account_id),
  tweet_id          text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  parent_tweet_id   text CHECK (parent_tweet_id ~ '^[0-9]{1,19}$'),
  parent_author     text,
  generator_name    text,
  content           text NOT NULL,
  impressions       bigint CHECK (impressions >= 0),
  likes             bigint CHECK (likes >= 0),
  retweets          bigint CHECK (retweets >= 0),
  replies           bigint CHECK (replies >= 0),
  quotes            bigint CHECK (quotes >= 0),
  bookmarks         bigint CHECK (bookmarks >= 0),
  profile_clicks    bigint CHECK (profile_clicks >= 0),
  followers_gained  double precision,
  posted_at         timestamptz,
  collected_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, tweet_id)
);

-- High-performing outside tweets harvested for formula learning ("visual intelligence").
CREATE TABLE vi_tweets (
  account_id        bigint NOT NULL REFERENCES accounts (account_id),
  tweet_id          text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  author_handle     text NOT NULL,
  author_followers  bigint CHECK (author_followers >= 0),
  content           text NOT NULL,
  impressions       bigint CHECK (impressions >= 0),
  likes             bigint CHECK (likes >= 0),
  retweets          bigint CHECK (retweets >= 0),
  replies           bigint CHECK (replies >= 0),
  quotes            bigint CHECK (quotes >= 0),
  bookmarks         bigint CHECK (bookmarks >= 0),
  posted_at         timestamptz,
  collected_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, tweet_id)
);

-- Posts of peer (competitor) accounts.
CREATE TABLE peer_posts (
  account_id        bigint NOT NULL REFERENCES accounts (account_id),
  tweet_id          text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,19}$'),
  peer_handle       text NOT NULL,
  peer_followers    bigint CHECK (peer_followers >= 0),
  content           text NOT NULL,
  impressions       bigint CHECK (impressions >= 0),
  likes             bigint CHECK (likes >= 0),
  retweets          bigint CHECK (retweets >= 0),
  replies           bigint CHECK (replies >= 0),
  quotes            bigint CHECK (quotes >= 0),
  bookmarks         bigint CHECK (bookmarks >= 0),
  posted_at         timestamptz,
  collected_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, tweet_id)
);

CREATE TABLE trending_topics (
  account_id   bigint NOT NULL REFERENCES accounts (account_id),
  topic        text NOT NULL CHECK (topic <> ''),
  observed_at  timestamptz NOT NULL,
  score        double precision NOT NULL DEFAULT 1 CHECK (score >= 0),
  source       text NOT NULL DEFAULT 'manual',
  expires_at   timestamptz,
  PRIMARY KEY (account_id, topic, observed_at)
);

-- Per-generator performance, learned apart per format.
CREATE TABLE generator_stats (
  account_id               bigint NOT NULL REFERENCES accounts (account_id),
  generator_name           text NOT NULL REFERENCES generators (generator_name),
  format                   text NOT NULL CHECK (format IN ('single', 'thread', 'reply')),
  posts                    integer NOT NULL CHECK (posts >= 0),
  mean_views               double precision,
  median_views             double precision,
  mean_engagement_rate     double precision,
  followers_per_1000_views double precision,
  score                    double precision,
  confidence               double precision CHECK (confidence BETWEEN 0 AND 1),
  rank                     integer CHECK (rank >= 1),
  topic_preferences        jsonb NOT NULL DEFAULT '[]',
  trend                    jsonb NOT NULL DEFAULT '{}',
  updated_at               timestamptz NOT NULL,
  PRIMARY KEY (account_id, generator_name, format)
);

CREATE TABLE viral_formulas (
  account_id               bigint NOT NULL REFERENCES accounts (account_id),
  formula_key              text NOT NULL,
  format                   text NOT NULL DEFAULT 'single' CHECK (format IN ('single', 'thread', 'reply')),
  name                     text NOT NULL,
  structure                text NOT NULL,
  example                  text NOT NULL,
  description              text,
  hook_type                text NOT NULL,
  body_pattern             text NOT NULL,
  length_band              text NOT NULL,
  has_numbers              boolean NOT NULL,
  has_cta                  boolean NOT NULL,
  sources                  text[] NOT NULL,
  generators               text[] NOT NULL DEFAULT '{}',
  sample_size              integer NOT NULL CHECK (sample_size > 0),
  avg_views                double precision,
  avg_engagement_rate      double precision,
  followers_per_1000_views double precision,
  confidence               double precision NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  updated_at               timestamptz NOT NULL,
  PRIMARY KEY (account_id, format, formula_key)
);

-- Sufficient statistics of a Normal reward posterior per arm, time-decayed.
CREATE TABLE bandit_arms (
  account_id      bigint NOT NULL REFERENCES accounts (account_id),
  family          text NOT NULL CHECK (family IN ('topic', 'hour', 'tag', 'generator', 'formula')),
  format          text NOT NULL DEFAULT 'single' CHECK (format IN ('single', 'thread', 'reply')),
  arm_key         text NOT NULL,
  pulls           integer NOT NULL CHECK (pulls >= 0),
  weight          double precision NOT NULL CHECK (weight >= 0),   -- decayed count
  reward_sum      double precision NOT NULL,
  reward_sq_sum   double precision NOT NULL CHECK (reward_sq_sum >= 0),
  posterior_mean  double precision,
  posterior_sd    double precision CHECK (posterior_sd >= 0),
  last_reward_at  timestamptz,
  updated_at      timestamptz NOT NULL,
  PRIMARY KEY (account_id, family, format, arm_key)
);

CREATE TABLE predictor_models (
  account_id       bigint NOT NULL REFERENCES accounts (account_id),
  version          integer NOT NULL CHECK (version >= 1),
  format           text NOT NULL DEFAULT 'single' CHECK (format IN ('single', 'thread', 'reply')),
  kind             text NOT NULL,
  params           jsonb NOT NULL,
  metrics          jsonb NOT NULL,
  samples          integer NOT NULL CHECK (samples >= 0),
  trained_through  timestamptz,     -- newest post used
  trained_at       timestamptz NOT NULL,
  PRIMARY KEY (account_id, version)
);

CREATE TABLE content_embeddings (
  account_id   bigint NOT NULL,
  decision_id  uuid NOT NULL,
  model        text NOT NULL,
  dims         integer NOT NULL CHECK (dims > 0),
  embedding    real[] NOT NULL CHECK (cardinality(embedding) = dims),
  created_at   timestamptz NOT NULL,
  PRIMARY KEY (account_id, decision_id),
  FOREIGN KEY (account_id, decision_id) REFERENCES content_metadata (account_id, decision_id)
    ON DELETE CASCADE
);

CREATE TABLE learning_summaries (
  account_id  bigint NOT NULL REFERENCES accounts (account_id),
  summary_id  bigserial NOT NULL,
  created_at  timestamptz NOT NULL,
  summary     jsonb NOT NULL,
  PRIMARY KEY (account_id, summary_id)
);

CREATE TABLE job_runs (
  account_id    bigint NOT NULL REFERENCES accounts (account_id),
  run_id        bigserial NOT NULL,
  tool          text NOT NULL,
  started_at    timestamptz NOT NULL,           -- wall clock
  finished_at   timestamptz,
  business_now  timestamptz NOT NULL,           -- the --now the run reasoned with
  status        text NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
  exit_code     integer,
  stats         jsonb NOT NULL DEFAULT '{}',
  error         text,
  PRIMARY KEY (account_id, run_id)
);
CREATE INDEX job_runs_recent ON job_runs (account_id, tool, started_at DESC);

-- OAuth 2.0 user tokens. X's refresh tokens are single-use: the new pair is
-- committed here before the access token is used.
CREATE TABLE oauth2_tokens (
  account_id         bigint PRIMARY KEY REFERENCES accounts (account_id),
  access_token       text NOT NULL,
  access_expires_at  timestamptz NOT NULL,
  refresh_token      text NOT NULL,
  rotated_at         timestamptz NOT NULL
);
