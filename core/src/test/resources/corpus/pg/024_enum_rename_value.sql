-- expect: DBG113
ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';
