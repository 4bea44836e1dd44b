-- expect: DBG102!
-- squawk-ignore ban-drop-column
ALTER TABLE users DROP COLUMN signup_ip;
