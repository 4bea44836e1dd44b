-- expect: DBG209
ALTER TABLE events ALTER COLUMN id TYPE bigint;
