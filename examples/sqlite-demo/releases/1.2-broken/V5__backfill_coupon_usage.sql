-- ... and V5 fails half-way: it refers to a table that does not exist. Flyway has already
-- committed V4, so without dbguard the database would be left half-migrated.
UPDATE orders SET coupon_code = 'WELCOME10' WHERE id IN (SELECT order_id FROM first_orders);
