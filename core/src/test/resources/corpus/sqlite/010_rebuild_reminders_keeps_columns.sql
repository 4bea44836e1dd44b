-- expect: DBG222
-- rename-first rebuild that copies every column 009 declares (due_at converted, still copied)
PRAGMA foreign_keys = OFF;
ALTER TABLE reminders RENAME TO _reminders_old;
CREATE TABLE reminders (
  id INTEGER PRIMARY KEY,
  note_id INTEGER NOT NULL REFERENCES notes (id),
  due_at INTEGER NOT NULL,
  snooze_minutes INTEGER,
  channel TEXT NOT NULL DEFAULT 'email'
);
INSERT INTO reminders (id, note_id, due_at, snooze_minutes, channel)
SELECT id, note_id, unixepoch(due_at), snooze_minutes, coalesce(channel, 'email') FROM _reminders_old;
DROP TABLE _reminders_old;
PRAGMA foreign_keys = ON;
