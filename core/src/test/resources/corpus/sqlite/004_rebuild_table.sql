-- expect: DBG102, DBG102, DBG102
-- The copy reads id, title, body only: created_at (001), archived (002) and owner_id (003) are
-- left behind and lost with the old table (labelled DBG222 until the rebuild's copy was compared
-- with the columns the earlier migrations declare).
PRAGMA foreign_keys = OFF;
BEGIN TRANSACTION;
CREATE TABLE notes_new (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT ''
);
INSERT INTO notes_new (id, title, body) SELECT id, title, coalesce(body, '') FROM notes;
DROP TABLE notes;
ALTER TABLE notes_new RENAME TO notes;
COMMIT;
PRAGMA foreign_keys = ON;
