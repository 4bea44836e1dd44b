-- expect: DBG208
-- the default comes before NOT NULL: inserts that omit weight_grams get 0
ALTER TABLE parcels ADD COLUMN weight_grams integer;
ALTER TABLE parcels ALTER COLUMN weight_grams SET DEFAULT 0;
UPDATE parcels SET weight_grams = 0 WHERE weight_grams IS NULL;
ALTER TABLE parcels ALTER COLUMN weight_grams SET NOT NULL;
