-- expect: DBG102
-- a column dropped through a helper called with PERFORM inside a DO block
DO $$
BEGIN
  PERFORM admin.run_ddl('ALTER TABLE parcels DROP COLUMN legacy_barcode');
  RAISE NOTICE 'legacy barcode dropped';
END
$$;
