-- expect: none
-- Flyway runs a script made only of non-transactional statements outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);
