-- expect: none
UPDATE orders o SET customer_name = c.name FROM customers c WHERE o.customer_id = c.id AND o.customer_name IS NULL AND o.id < 1000;
DELETE FROM line_items li USING orders o WHERE li.order_id = o.id AND o.status = 'void';
