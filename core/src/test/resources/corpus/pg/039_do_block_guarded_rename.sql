-- expect: DBG106
-- A rename guarded by a catalogue lookup is still a rename on any database that has the column.
DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM information_schema.columns
    WHERE table_name = 'shipments' AND column_name = 'carrier_ref'
  ) THEN
    ALTER TABLE shipments RENAME COLUMN carrier_ref TO tracking_code;
  END IF;
END
$$;
