-- expect: DBG222
-- copy-first rebuild: the generated columns of 012 are recomputed, not copied (SQLite refuses
-- an INSERT into them), so a copy without them loses nothing
CREATE TABLE parcels_new (
  id INTEGER PRIMARY KEY,
  grams INTEGER NOT NULL,
  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL,
  code TEXT NOT NULL DEFAULT '',
  code_upper TEXT AS (upper(code)) STORED
);
INSERT INTO parcels_new (id, grams, code) SELECT id, grams, coalesce(code, '') FROM parcels;
DROP TABLE parcels;
ALTER TABLE parcels_new RENAME TO parcels;
