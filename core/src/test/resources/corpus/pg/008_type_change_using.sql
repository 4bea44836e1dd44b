-- expect: DBG108
ALTER TABLE invoices ALTER COLUMN amount SET DATA TYPE integer USING round(amount)::integer;
