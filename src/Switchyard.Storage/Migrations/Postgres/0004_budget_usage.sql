-- Spend against each budget per period, and the holds (reservations) of requests in flight. A request reserves its
-- worst-case cost before a paid model is called; the ledger batch that records it releases the hold and adds the
-- actual cost to spent in the same transaction. Period starts are unix milliseconds (UTC).
CREATE TABLE budget_usage (
  budget_id bigint NOT NULL REFERENCES budgets (id) ON DELETE CASCADE,
  period_start_ms bigint NOT NULL,
  spent_nanousd bigint NOT NULL DEFAULT 0,
  reserved_nanousd bigint NOT NULL DEFAULT 0 CHECK (reserved_nanousd >= 0),
  PRIMARY KEY (budget_id, period_start_ms)
);
CREATE TABLE reservations (
  id text NOT NULL,
  budget_id bigint NOT NULL,
  period_start_ms bigint NOT NULL,
  amount_nanousd bigint NOT NULL,
  request_id text NOT NULL,
  instance_id text NOT NULL,
  expires_ms bigint NOT NULL,
  PRIMARY KEY (id, budget_id)
);
CREATE INDEX reservations_request ON reservations (request_id);
CREATE INDEX reservations_expiry ON reservations (expires_ms);
ALTER TABLE requests ADD COLUMN reserved_nanousd bigint NOT NULL DEFAULT 0;
