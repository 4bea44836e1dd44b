-- expect: DBG109
-- a rebuild adding a required column that its copy does not fill: on a table with rows the
-- INSERT fails with "NOT NULL constraint failed: parcels_new.carrier"
CREATE TABLE parcels_new (
  id INTEGER PRIMARY KEY,
  grams INTEGER NOT NULL DEFAULT 0 CHECK (grams >= 0),
  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL,
  code TEXT NOT NULL DEFAULT '',
  code_upper TEXT AS (upper(code)) STORED,
  carrier TEXT NOT NULL
);
INSERT INTO parcels_new (id, grams, code) SELECT id, grams, code FROM parcels;
DROP TABLE parcels;
ALTER TABLE parcels_new RENAME TO parcels;
