-- expect: DBG222
-- the third order of the rebuild: parcels kept in a temporary copy while the table is created
-- again with a CHECK on grams, then copied back (the generated columns are recomputed)
CREATE TEMPORARY TABLE parcels_keep AS SELECT * FROM parcels;
DROP TABLE parcels;
CREATE TABLE parcels (
  id INTEGER PRIMARY KEY,
  grams INTEGER NOT NULL DEFAULT 0 CHECK (grams >= 0),
  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL,
  code TEXT NOT NULL DEFAULT '',
  code_upper TEXT AS (upper(code)) STORED
);
INSERT INTO parcels (id, grams, code)
  SELECT id, max(grams, 0), coalesce(code, '') FROM parcels_keep;
DROP TABLE parcels_keep;
CREATE INDEX parcels_code ON parcels (code);
