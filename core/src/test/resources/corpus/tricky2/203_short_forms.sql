-- expect: DBG201, DBG106
-- (joined_at is declared timestamptz by 202 in this directory: the same type, no rewrite)
CREATE INDEX ON members (tier);
ALTER TABLE members ALTER joined_at TYPE timestamptz;
ALTER TABLE members RENAME tier TO level;
