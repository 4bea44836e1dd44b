-- expect: DBG106, DBG204
ALTER TABLE orders RENAME COLUMN amount TO amount_cents;
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
