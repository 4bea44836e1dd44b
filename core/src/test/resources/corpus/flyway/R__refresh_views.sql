-- expect: none
CREATE OR REPLACE VIEW order_totals AS
  SELECT customer_id, sum(amount_cents) AS total FROM orders GROUP BY customer_id;
