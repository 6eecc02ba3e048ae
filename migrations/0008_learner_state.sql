-- The learners' own state (issue 16): what they derive once from a post's
-- text, and the fingerprint of the inputs of each learner's last successful
-- run, so a run whose inputs did not change does nothing but that check.

-- learn::analyze_text of a post's content (what the learners read of it),
-- written by the learners the first time they meet a post without a row, or
-- with a row of an older analysis (version) or of other content (content_md5).
CREATE TABLE post_text_features (
  account_id          bigint NOT NULL,
  decision_id         uuid NOT NULL,
  version             integer NOT NULL,      -- learn::kTextFeaturesVersion
  content_md5         text NOT NULL,         -- md5(content_metadata.content) it was read from
  hook_type           text NOT NULL,
  body                text NOT NULL,         -- the body pattern's elements joined by "+"
  length_band         text NOT NULL,
  weighted_length     integer NOT NULL,
  words               integer NOT NULL,
  has_numbers         boolean NOT NULL,
  has_stat            boolean NOT NULL,
  has_question        boolean NOT NULL,
  has_cta             boolean NOT NULL,
  has_url             boolean NOT NULL,
  unavailable_notice  boolean NOT NULL,      -- learn::is_unavailable_notice
  prose               text NOT NULL,
  PRIMARY KEY (account_id, decision_id),
  FOREIGN KEY (account_id, decision_id) REFERENCES content_metadata (account_id, decision_id)
    ON DELETE CASCADE
);

-- One row per (tool, account): the inputs fingerprint of the last successful
-- full run and the JSON lines it printed (jobs/learner_watermark.h).
CREATE TABLE learner_watermarks (
  account_id  bigint NOT NULL REFERENCES accounts (account_id),
  tool        text NOT NULL,
  inputs      text NOT NULL,
  output      text NOT NULL,                 -- stdout's JSON lines, printed again when unchanged
  run_at      timestamptz NOT NULL,          -- the run's business time
  PRIMARY KEY (account_id, tool)
);
