-- expect: DBG109
ALTER TABLE accounts ADD COLUMN plan_id bigint NOT NULL;
