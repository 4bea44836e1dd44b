-- expect: none
-- seed: idempotent
INSERT INTO roles (name) VALUES ('admin'), ('member') ON CONFLICT (name) DO NOTHING;
INSERT INTO settings (key, value)
SELECT 'currency', 'EUR'
WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'currency');
