-- expect: DBG201
CREATE INDEX index_orders_on_customer_id ON orders (customer_id);
