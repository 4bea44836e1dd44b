-- expect: none
CREATE TABLE reminders (
  id INTEGER PRIMARY KEY,
  note_id INTEGER NOT NULL,
  due_at TEXT NOT NULL,
  snooze_minutes INTEGER
);
ALTER TABLE reminders ADD COLUMN channel TEXT DEFAULT 'email';
