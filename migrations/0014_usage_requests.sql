-- One call that returns several kinds of resource (a search: posts and their
-- authors) is one request: the first of its api_usage rows (by kind) carries
-- the call's requests and the others 0, so sum(requests) counts calls.
ALTER TABLE api_usage DROP CONSTRAINT api_usage_requests_check,
  ADD CONSTRAINT api_usage_requests_check CHECK (requests >= 0);
