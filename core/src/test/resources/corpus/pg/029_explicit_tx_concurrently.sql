-- expect: DBG203
BEGIN;
CREATE INDEX CONCURRENTLY index_payments_on_state ON payments (state);
COMMIT;
