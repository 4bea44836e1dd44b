-- expect: none
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'readonly') THEN
    CREATE ROLE readonly;
  END IF;
END
$$;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO readonly;
