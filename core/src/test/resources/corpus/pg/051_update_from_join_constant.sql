-- expect: DBG112
-- every parcel of any zone is marked lost: the WHERE only joins, the old status is gone
UPDATE parcels p SET status = 'lost' FROM zones z WHERE z.id = p.zone_id;
