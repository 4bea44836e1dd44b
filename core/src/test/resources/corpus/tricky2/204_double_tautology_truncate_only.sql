-- expect: DBG112, DBG110
UPDATE members SET level = 'basic' WHERE 'x' = 'x' AND true;
TRUNCATE ONLY member_events;
