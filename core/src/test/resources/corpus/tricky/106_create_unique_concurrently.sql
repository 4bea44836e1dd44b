-- expect: none
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_lower_email_key ON users (lower(email));
ALTER TABLE users ADD CONSTRAINT users_lower_email_key UNIQUE USING INDEX users_lower_email_key;
