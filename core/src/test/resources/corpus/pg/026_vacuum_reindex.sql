-- expect: DBG211, DBG210
VACUUM FULL events;
REINDEX INDEX index_events_on_created_at;
