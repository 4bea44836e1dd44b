-- ... and V5 fixed: each customer's first order used the WELCOME10 coupon (the broken V5 read a
-- table first_orders that does not exist).
UPDATE orders SET coupon_code = 'WELCOME10'
 WHERE id IN (SELECT min(id) FROM orders GROUP BY customer_id);
