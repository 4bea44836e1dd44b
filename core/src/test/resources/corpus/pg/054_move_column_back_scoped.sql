-- expect: DBG106, DBG102
-- the copy back is scoped: rows outside it lose their values
ALTER TABLE invoices RENAME COLUMN total TO total_old;
ALTER TABLE invoices ADD COLUMN total numeric(12,2);
UPDATE invoices SET total = total_old WHERE paid;
ALTER TABLE invoices DROP COLUMN total_old;
