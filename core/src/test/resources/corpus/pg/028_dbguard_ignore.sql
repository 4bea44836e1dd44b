-- expect: DBG101!, DBG902
-- dbguard:ignore DBG101 table emptied and archived to S3 in OPS-1234
DROP TABLE import_staging;
-- dbguard:ignore DBG201 stale suppression left behind
SELECT 1;
