-- expect: DBG105
INSERT OR IGNORE INTO settings (key, value) VALUES ('theme', 'light');
ALTER TABLE settings RENAME TO app_settings;
