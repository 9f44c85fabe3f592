-- The ledger as it was before versioned migrations: files written by earlier releases already have it.
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts TEXT NOT NULL,
  ts_unix_ms INTEGER NOT NULL,
  request_id TEXT NOT NULL,
  caller TEXT,
  requested TEXT NOT NULL,
  served_model TEXT,
  provider TEXT,
  zone TEXT,
  decision TEXT NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_input_tokens INTEGER NOT NULL,
  cost TEXT NOT NULL,
  cost_nanousd INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  ttft_ms REAL,
  status TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  error TEXT,
  streamed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS requests_ts ON requests (ts_unix_ms);
