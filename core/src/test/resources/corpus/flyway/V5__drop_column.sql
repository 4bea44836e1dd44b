-- expect: DBG102, DBG102
ALTER TABLE orders DROP COLUMN legacy_ref, DROP COLUMN IF EXISTS old_status;
