-- expect: DBG901
-- Dynamic SQL: the statement text exists only at run time, so it stays a notice for review.
DO $$
DECLARE
  t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE tablename LIKE 'audit_2019_%' LOOP
    EXECUTE format('DROP TABLE %I', t);
  END LOOP;
END
$$;
