-- expect: DBG201
-- an index built through a helper that runs its argument: the same build, blocking writes
SELECT execute($ddl$
  CREATE INDEX parcels_courier_idx ON parcels (courier_id)
$ddl$);
