-- expect: DBG102
ALTER TABLE notes DROP COLUMN legacy_flag;
