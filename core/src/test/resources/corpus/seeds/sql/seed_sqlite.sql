-- expect: none
-- seed: idempotent
INSERT OR IGNORE INTO tags (name) VALUES ('news');
INSERT OR REPLACE INTO settings (key, value) VALUES ('locale', 'en');
UPDATE settings SET value = 'en' WHERE key = 'locale';
