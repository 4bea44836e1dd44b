-- expect: DBG111
DELETE FROM cache_entries WHERE 1;
