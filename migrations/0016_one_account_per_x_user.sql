-- Two accounts of one database are never the same X user: each would post and
-- read as the other. publish and scrape-metrics refuse tokens of a user another
-- account is, and this makes it hold when two first runs race. A database where
-- it already happened (the race this closes) is named, not half-migrated.
DO $$
DECLARE
  shared text;
BEGIN
  SELECT string_agg(format('X user %s is %s', x_user_id, handles), '; ') INTO shared
  FROM (SELECT x_user_id, string_agg('@' || handle, ' and ' ORDER BY handle) AS handles
        FROM accounts WHERE x_user_id IS NOT NULL GROUP BY x_user_id HAVING count(*) > 1) d;
  IF shared IS NOT NULL THEN
    RAISE EXCEPTION 'accounts that are one X user: %', shared
      USING HINT = 'clear the id of each account that is not that X user (UPDATE accounts '
                   'SET x_user_id = NULL WHERE handle = ...; its next run reads it from its '
                   'own tokens), then run migrate again';
  END IF;
END $$;
CREATE UNIQUE INDEX accounts_x_user_id_key ON accounts (x_user_id);
