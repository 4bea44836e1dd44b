-- expect: DBG207
ALTER TABLE members ADD COLUMN joined_at timestamptz DEFAULT clock_timestamp();
