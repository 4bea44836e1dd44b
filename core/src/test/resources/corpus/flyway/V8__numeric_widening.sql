-- expect: DBG209
ALTER TABLE orders ALTER COLUMN amount_cents TYPE numeric;
