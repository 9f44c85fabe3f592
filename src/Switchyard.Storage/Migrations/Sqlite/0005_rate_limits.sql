-- Requests and tokens per minute, shared by every gateway instance: one row per rate-limit scope (key:<id>,
-- team:<id>, model:<name>) and unix second. A scope's window is the sum of its last 60 rows; admission reads it and
-- adds to the current second's row in one BEGIN IMMEDIATE transaction. Rows older than 120 s are swept.
CREATE TABLE rate_buckets (
  scope TEXT NOT NULL,
  second INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  tokens INTEGER NOT NULL,
  PRIMARY KEY (scope, second)
);
CREATE INDEX rate_buckets_second ON rate_buckets (second);
