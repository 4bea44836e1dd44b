-- Release 1.2.1 (the fix of 1.2): V4 unchanged: a new table, a foreign key and a column ...
CREATE TABLE coupons (
  code        TEXT    PRIMARY KEY,
  percent_off INTEGER NOT NULL CHECK (percent_off BETWEEN 1 AND 90)
);
ALTER TABLE orders ADD COLUMN coupon_code TEXT REFERENCES coupons(code);
INSERT INTO coupons(code, percent_off) VALUES ('WELCOME10', 10), ('SPRING25', 25);
