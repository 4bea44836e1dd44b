-- expect: none
ALTER TABLE members ADD COLUMN tier text DEFAULT 'basic' NOT NULL;
