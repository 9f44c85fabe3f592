-- Requests and tokens per minute, shared by every gateway instance: one row per rate-limit scope (key:<id>,
-- team:<id>, model:<name>) and unix second. A scope's window is the sum of its last 60 rows; admission reads it and
-- adds to the current second's row in one READ COMMITTED transaction holding pg_advisory_xact_lock per scope.
-- Rows older than 120 s are swept.
CREATE TABLE rate_buckets (
  scope text NOT NULL,
  second bigint NOT NULL,
  requests int NOT NULL,
  tokens bigint NOT NULL,
  PRIMARY KEY (scope, second)
);
CREATE INDEX rate_buckets_second ON rate_buckets (second);
