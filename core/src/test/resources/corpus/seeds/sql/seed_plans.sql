-- expect: DBG302
-- seed: non-idempotent
INSERT INTO plans (name, price_cents) VALUES ('Free', 0);
INSERT INTO plans (name, price_cents) VALUES ('Pro', 1900);
