-- expect: DBG222
-- a column's default changed without a rebuild: moved aside, added again, copied back, dropped
ALTER TABLE parcels RENAME COLUMN grams TO grams_old;
ALTER TABLE parcels ADD COLUMN grams INTEGER NOT NULL DEFAULT 0;
UPDATE parcels SET grams = grams_old;
ALTER TABLE parcels DROP COLUMN grams_old;
