-- expect: DBG101
-- The audit_log_v1 table was replaced by audit_events in 2023.
DROP TABLE audit_log_v1;
