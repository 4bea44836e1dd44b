-- expect: none
-- +migrate Up notransaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS harbors_code ON harbors (code);

-- +migrate Down
DROP INDEX harbors_code;
