-- expect: DBG112, DBG111
UPDATE users SET locked = false WHERE locked = true OR 1 = 1;
DELETE FROM tokens WHERE (true);
