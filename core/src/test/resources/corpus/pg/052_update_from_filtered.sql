-- expect: none
-- the join plus a filter on the target: a scoped update
UPDATE parcels p
   SET depot_id = c.depot_id
  FROM couriers c
 WHERE p.courier_id = c.id
   AND p.depot_id IS NULL;
