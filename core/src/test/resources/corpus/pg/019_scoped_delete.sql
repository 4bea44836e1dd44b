-- expect: none
DELETE FROM sessions WHERE expires_at < now() - interval '30 days';
UPDATE orders SET status = 'cancelled' WHERE status = 'pending' AND created_at < '2020-01-01';
