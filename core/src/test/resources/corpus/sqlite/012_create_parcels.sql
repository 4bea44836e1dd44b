-- expect: none
CREATE TABLE parcels (
  id INTEGER PRIMARY KEY,
  grams INTEGER NOT NULL,
  kilos REAL GENERATED ALWAYS AS (grams / 1000.0) VIRTUAL,
  code TEXT,
  code_upper TEXT AS (upper(code)) STORED
);
