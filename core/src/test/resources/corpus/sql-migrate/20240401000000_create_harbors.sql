-- expect: none
-- +migrate Up
CREATE TABLE harbors (
  id bigint PRIMARY KEY,
  name varchar(80) NOT NULL,
  code text
);
CREATE INDEX harbors_name ON harbors (name);

-- +migrate Down
DROP TABLE harbors;
