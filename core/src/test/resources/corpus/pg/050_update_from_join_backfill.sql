-- expect: DBG223
-- every parcel with a courier gets the courier's depot: a full backfill through a join
UPDATE parcels
   SET depot_id = c.depot_id
  FROM couriers c
 WHERE parcels.courier_id = c.id;
