-- expect: none
CREATE TRIGGER IF NOT EXISTS notes_touch AFTER UPDATE ON notes
BEGIN
  UPDATE notes SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
