-- expect: DBG203
-- no notransaction on the Up marker: sql-migrate wraps the Up statements in a transaction
-- +migrate Up
-- +migrate StatementBegin
CREATE FUNCTION harbors_code_upper() RETURNS trigger AS $$
BEGIN
  NEW.code := upper(NEW.code);
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
-- +migrate StatementEnd
CREATE INDEX CONCURRENTLY harbors_code_upper ON harbors (upper(code));

-- +migrate Down
DROP INDEX harbors_code_upper;
DROP FUNCTION harbors_code_upper();
DROP TABLE harbors;
