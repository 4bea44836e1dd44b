-- expect: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS index_orders_on_created_at ON public.orders USING btree (created_at) WHERE deleted_at IS NULL;
