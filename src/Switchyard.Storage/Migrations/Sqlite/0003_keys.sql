-- Virtual API keys and teams. Lists and metadata are JSON text; times are unix milliseconds (UTC).
-- A key is stored only as HMAC-SHA256(pepper, key); auth_meta.pepper_check detects a wrong pepper at start-up.
CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  allowed_models TEXT,                         -- JSON array of model/route names; NULL = all
  rpm_limit INTEGER,
  tpm_limit INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL,
  deleted_ms INTEGER
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,                         -- the 10-character id inside sk-sy-<id>_<secret>
  hash BLOB NOT NULL,
  name TEXT NOT NULL,
  team_id TEXT REFERENCES teams (id),
  allowed_models TEXT,                         -- JSON array; NULL = all
  data_classes TEXT NOT NULL DEFAULT '[]',     -- JSON array: classes the privacy guard adds to every request
  rpm_limit INTEGER,
  tpm_limit INTEGER,
  budget_blocks_free INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1,
  expires_ms INTEGER,
  revoked_ms INTEGER,
  metadata TEXT NOT NULL DEFAULT '{}',
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE INDEX api_keys_team ON api_keys (team_id);
-- Spend limits in integer nano-dollars per period (UTC day, UTC month, or all time) for a key, a team or everything.
CREATE TABLE budgets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('key', 'team', 'global')),
  scope_id TEXT NOT NULL,
  period TEXT NOT NULL CHECK (period IN ('daily', 'monthly', 'total')),
  limit_nanousd INTEGER NOT NULL CHECK (limit_nanousd >= 0),
  UNIQUE (scope_kind, scope_id, period)
);
CREATE TABLE auth_meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
ALTER TABLE requests ADD COLUMN key_id TEXT;
ALTER TABLE requests ADD COLUMN key_prefix TEXT;
ALTER TABLE requests ADD COLUMN team_id TEXT;
CREATE INDEX requests_key ON requests (key_id, ts_unix_ms);
CREATE INDEX requests_team ON requests (team_id, ts_unix_ms);
