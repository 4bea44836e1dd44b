-- expect: DBG106
PRAGMA foreign_keys = ON;
CREATE UNIQUE INDEX IF NOT EXISTS members_email ON members (email);
ALTER TABLE members RENAME COLUMN mail TO email;
