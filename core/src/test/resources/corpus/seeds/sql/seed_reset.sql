-- expect: DBG301, DBG301
-- seed: destructive
TRUNCATE plans RESTART IDENTITY CASCADE;
DELETE FROM coupons;
INSERT INTO plans (name, price_cents) VALUES ('Free', 0);
