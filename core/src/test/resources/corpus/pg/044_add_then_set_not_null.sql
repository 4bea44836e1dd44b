-- expect: DBG109, DBG208
-- two-step NOT NULL on a new column with no default: old inserts omit tracking_code and fail
ALTER TABLE parcels ADD COLUMN tracking_code uuid;
UPDATE parcels SET tracking_code = gen_random_uuid() WHERE tracking_code IS NULL;
ALTER TABLE parcels ALTER COLUMN tracking_code SET NOT NULL;
