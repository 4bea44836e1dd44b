-- Release 1.3 (dangerous on purpose): drops a column that holds data. The migration itself
-- succeeds; dbguard's data-loss check catches it and restores the backup.
ALTER TABLE customers DROP COLUMN phone;
