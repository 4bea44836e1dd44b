-- expect: DBG209
-- same type, new collation: no rewrite, but harbors_name is rebuilt under ACCESS EXCLUSIVE
-- +migrate Up
ALTER TABLE harbors ALTER COLUMN name TYPE varchar(80) COLLATE "C";

-- +migrate Down
ALTER TABLE harbors DROP COLUMN code;
ALTER TABLE harbors ALTER COLUMN name TYPE varchar(40);
