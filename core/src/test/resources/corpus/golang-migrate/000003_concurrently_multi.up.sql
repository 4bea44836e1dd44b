-- expect: DBG203
CREATE INDEX CONCURRENTLY users_created_idx ON users (created_at);
ALTER TABLE users ADD COLUMN last_login_at timestamptz;
