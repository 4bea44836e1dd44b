-- expect: DBG111
DELETE FROM feature_flags;
INSERT INTO feature_flags (name, enabled) VALUES ('new_checkout', false);
