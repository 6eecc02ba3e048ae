-- Two accounts of one database are never the same X user: each would post and
-- read as the other. publish and scrape-metrics refuse tokens of a user another
-- account is, and this makes it hold when two first runs race. Should this
-- fail on duplicates, give the wrong account its own id (accounts add HANDLE
-- --x-user-id ID) or clear it (UPDATE accounts SET x_user_id = NULL ...).
CREATE UNIQUE INDEX accounts_x_user_id_key ON accounts (x_user_id);
