-- expect: DBG201, DBG109
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'invoices_due_on_idx') THEN
    CREATE INDEX invoices_due_on_idx ON invoices (due_on);
  END IF;
  ALTER TABLE invoices ADD COLUMN IF NOT EXISTS currency char(3) NOT NULL;
END
$$;
