-- expect: DBG216, DBG217
ALTER TABLE audit_events ADD COLUMN payload json;
ALTER TABLE audit_events ADD COLUMN seq bigserial;
