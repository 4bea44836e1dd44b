-- expect: DBG102
ALTER TABLE users DROP COLUMN legacy_password_hash;
