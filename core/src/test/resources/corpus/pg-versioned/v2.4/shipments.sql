-- expect: DBG209
-- the previous types come from v2.3/schema.sql: widening varchar and varchar to text rewrite nothing;
-- integer to bigint rewrites the table
ALTER TABLE shipments ALTER COLUMN shipment_id TYPE VARCHAR(64);
ALTER TABLE shipments ALTER COLUMN note TYPE TEXT;
ALTER TABLE shipments ALTER COLUMN weight_g TYPE BIGINT;
