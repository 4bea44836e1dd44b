-- expect: DBG111, DBG111
DELETE FROM sessions WHERE 1 = 1;
DELETE FROM password_resets;
