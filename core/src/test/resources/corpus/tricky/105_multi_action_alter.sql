-- expect: DBG109, DBG208, DBG226
ALTER TABLE payments
  ADD COLUMN provider text NOT NULL,
  ALTER COLUMN amount SET NOT NULL,
  ALTER COLUMN reference TYPE text,
  ALTER COLUMN updated_at SET DEFAULT now();
