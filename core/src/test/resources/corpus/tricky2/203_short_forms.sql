-- expect: DBG201, DBG209, DBG106
CREATE INDEX ON members (tier);
ALTER TABLE members ALTER joined_at TYPE timestamptz;
ALTER TABLE members RENAME tier TO level;
