-- The model the upstream reported in its reply (a floating alias's current snapshot), to make silent changes visible.
ALTER TABLE requests ADD COLUMN upstream_model TEXT;
