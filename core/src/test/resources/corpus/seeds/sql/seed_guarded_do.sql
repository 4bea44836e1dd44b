-- expect: none
-- seed: idempotent
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM currencies WHERE code = 'CHF') THEN
    INSERT INTO currencies (code, name) VALUES ('CHF', 'Swiss franc');
  END IF;
END
$$;
