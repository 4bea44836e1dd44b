-- expect: none
-- seed: idempotent
INSERT INTO currencies (code, symbol) VALUES ('EUR', '€')
ON CONFLICT (code) DO UPDATE SET symbol = EXCLUDED.symbol;
