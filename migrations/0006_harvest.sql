-- Harvest (issue 12): what X costs, the outside sources' settings and
-- watermarks, and the columns trending_topics, vi_tweets, peer_posts and
-- reply_metrics need to be filled from X.

-- X's pay-per-use prices per resource (or per request for trends and creates);
-- UPDATE a row to follow X's price list. A reference table (no account).
CREATE TABLE api_prices (
  kind     text PRIMARY KEY CHECK (kind ~ '^[a-z_]+$'),
  usd      numeric(12, 6) NOT NULL CHECK (usd >= 0),
  per      text NOT NULL CHECK (per IN ('resource', 'request')),
  note     text NOT NULL DEFAULT ''
);
INSERT INTO api_prices (kind, usd, per, note) VALUES
  ('post_read', 0.005, 'resource', 'a post returned by any read'),
  ('user_read', 0.010, 'resource', 'a user returned by any read'),
  ('owned_read', 0.001, 'resource', 'a post of the authenticated user''s own timeline'),
  ('trends_request', 0.010, 'request', 'trends of a place, or personalized trends'),
  ('post_create', 0.015, 'request', 'a post created'),
  ('post_create_url', 0.200, 'request', 'a post created with a URL');

-- Every call to X any tool makes: per call and kind of resource, what X
-- returned and what it bills after its once-per-UTC-day rule, at the price of
-- the time. A call that failed or returned nothing has kind NULL.
CREATE TABLE api_usage (
  account_id  bigint NOT NULL REFERENCES accounts (account_id),
  usage_id    bigserial,
  tool        text NOT NULL,
  endpoint    text NOT NULL,
  called_at   timestamptz NOT NULL,  -- the run's business clock
  kind        text REFERENCES api_prices (kind),
  requests    integer NOT NULL CHECK (requests >= 1),
  resources   integer NOT NULL CHECK (resources >= 0),
  billable    integer NOT NULL CHECK (billable >= 0 AND billable <= resources),
  cost_usd    numeric(12, 6) NOT NULL CHECK (cost_usd >= 0),
  problem     text,
  PRIMARY KEY (account_id, usage_id)
);
CREATE INDEX api_usage_day ON api_usage (account_id, called_at);

-- The resources already billed on a UTC day: X charges each once a day.
CREATE TABLE api_reads (
  account_id   bigint NOT NULL REFERENCES accounts (account_id),
  day          date NOT NULL,
  kind         text NOT NULL,
  resource_id  text NOT NULL,
  PRIMARY KEY (account_id, day, kind, resource_id)
);

-- What harvest reads for an account and what it may spend.
CREATE TABLE harvest_settings (
  account_id          bigint PRIMARY KEY REFERENCES accounts (account_id),
  woeids              bigint[] NOT NULL DEFAULT '{1}',
  language            text NOT NULL DEFAULT 'en' CHECK (language ~ '^[a-z]{2,3}$'),
  daily_budget_usd    numeric(12, 4) NOT NULL DEFAULT 2.00 CHECK (daily_budget_usd >= 0),
  monthly_budget_usd  numeric(12, 4) NOT NULL DEFAULT 50.00 CHECK (monthly_budget_usd >= 0),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Peer accounts, resolved to ids the first time harvest reads them.
CREATE TABLE account_peers (
  account_id   bigint NOT NULL REFERENCES accounts (account_id),
  handle       text NOT NULL CHECK (handle ~ '^[a-z0-9_]{1,15}$'),  -- lower case
  x_user_id    text CHECK (x_user_id ~ '^[0-9]{1,19}$'),
  followers    bigint CHECK (followers >= 0),
  not_found_at timestamptz,
  added_at     timestamptz NOT NULL,
  PRIMARY KEY (account_id, handle)
);

-- Per query: the newest post already read (since_id) and the adaptive
-- min_likes of viral searches.
CREATE TABLE harvest_watermarks (
  account_id  bigint NOT NULL REFERENCES accounts (account_id),
  source      text NOT NULL CHECK (source IN ('viral', 'peers', 'replies')),
  query_key   text NOT NULL,
  since_id    text CHECK (since_id ~ '^[0-9]{1,19}$'),
  min_likes   integer CHECK (min_likes >= 0),
  last_read   integer NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (account_id, source, query_key)
);

ALTER TABLE trending_topics
  ADD COLUMN trend_name text NOT NULL DEFAULT '',
  ADD COLUMN volume bigint CHECK (volume >= 0),
  ADD COLUMN basis text,
  DROP CONSTRAINT trending_topics_pkey,
  ADD PRIMARY KEY (account_id, topic, trend_name, source, observed_at);

ALTER TABLE vi_tweets
  ADD COLUMN author_id text CHECK (author_id ~ '^[0-9]{1,19}$'),
  ADD COLUMN query_topic text,
  ADD COLUMN first_seen_at timestamptz;

ALTER TABLE peer_posts
  ADD COLUMN first_seen_at timestamptz;

ALTER TABLE reply_metrics
  ADD COLUMN conversation_id text CHECK (conversation_id ~ '^[0-9]{1,19}$'),
  ADD COLUMN first_seen_at timestamptz;
