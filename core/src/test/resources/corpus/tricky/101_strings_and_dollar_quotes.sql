-- expect: none
-- A comment mentioning DROP TABLE users; is not a statement.
INSERT INTO audit_notes (note) VALUES ('we will DROP TABLE later; not now');
INSERT INTO audit_notes (note) VALUES (E'it\'s; fine');
CREATE OR REPLACE FUNCTION purge_tmp() RETURNS void AS $body$
BEGIN
  DROP TABLE IF EXISTS tmp_import;
  DELETE FROM tmp_rows;
END;
$body$ LANGUAGE plpgsql;
