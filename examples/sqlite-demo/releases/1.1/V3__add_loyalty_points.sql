-- Release 1.1: a backward-compatible change (new nullable column with a default).
ALTER TABLE customers ADD COLUMN loyalty_points INTEGER NOT NULL DEFAULT 0;
CREATE INDEX customers_loyalty_idx ON customers(loyalty_points);
