-- expect: DBG222
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
