-- flyway:executeInTransaction=false
-- expect: none
ALTER TABLE orders ADD COLUMN refunded_at timestamptz;
CREATE INDEX CONCURRENTLY orders_refunded_at_idx ON orders (refunded_at);
