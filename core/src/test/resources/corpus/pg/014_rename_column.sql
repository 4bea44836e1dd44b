-- expect: DBG106
ALTER TABLE customers RENAME COLUMN zip TO postal_code;
