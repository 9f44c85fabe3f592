-- Input tokens written to the provider's prompt cache (Anthropic's cache creation), costed at the cache-write price.
ALTER TABLE requests ADD COLUMN cache_write_tokens bigint NOT NULL DEFAULT 0;
