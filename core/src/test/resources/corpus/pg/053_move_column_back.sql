-- expect: DBG223
-- a column moved aside and back in one file: no rename or lost column, only the backfill
ALTER TABLE invoices RENAME COLUMN total TO total_old;
ALTER TABLE invoices ADD COLUMN total numeric(12,2);
UPDATE invoices SET total = total_old::numeric(12,2);
ALTER TABLE invoices DROP COLUMN total_old;
