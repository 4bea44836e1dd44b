-- expect: DBG207
ALTER TABLE sessions ADD COLUMN token uuid DEFAULT gen_random_uuid();
