-- expect: DBG102
-- create-first rebuild whose copy leaves snooze_minutes behind: its values are lost
CREATE TABLE reminders_next (
  id INTEGER PRIMARY KEY,
  note_id INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  channel TEXT NOT NULL DEFAULT 'email'
);
INSERT INTO reminders_next (id, note_id, due_at, channel)
SELECT id, note_id, due_at, channel FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_next RENAME TO reminders;
