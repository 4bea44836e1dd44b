-- expect: none
-- One row inserted only when it is missing: safe on a populated database.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM feature_flags WHERE name = 'dark_mode') THEN
    INSERT INTO feature_flags (name, enabled) VALUES ('dark_mode', false);
  END IF;
END $$;
