-- One row per request id: a ledger batch retried after a failed commit adds nothing twice.
CREATE UNIQUE INDEX IF NOT EXISTS requests_request_id ON requests (request_id);
