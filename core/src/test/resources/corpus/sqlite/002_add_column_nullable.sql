-- expect: none
ALTER TABLE notes ADD COLUMN archived INTEGER DEFAULT 0;
CREATE INDEX notes_archived ON notes (archived);
