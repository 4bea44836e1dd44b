-- expect: none
-- binary-coercible only when the source is known: here it is created in the same file
CREATE TABLE notes (id bigint PRIMARY KEY, body varchar(100));
ALTER TABLE notes ALTER COLUMN body TYPE text;
