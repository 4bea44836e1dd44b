-- expect: DBG102
DO LANGUAGE plpgsql $body$
DECLARE
  stale_count integer;
BEGIN
  SELECT count(*) INTO stale_count FROM coupons WHERE legacy_code IS NOT NULL;
  RAISE NOTICE 'dropping legacy_code (% rows set)', stale_count;
  EXECUTE 'ALTER TABLE coupons DROP COLUMN legacy_code';
EXCEPTION WHEN undefined_column THEN
  NULL;
END
$body$;
