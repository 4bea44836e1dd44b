-- expect: none
-- strings that are not statements, a scheduled job, and a format() template: nothing runs now
SELECT set_config('statement_timeout', '5min', false);
SELECT cron.schedule('purge-parcels', '0 4 * * *', 'DELETE FROM parcel_events');
SELECT execute(format('CREATE INDEX %I ON parcels (zone)', 'parcels_zone_idx'));
SELECT 'DROP TABLE parcels' AS reminder;
