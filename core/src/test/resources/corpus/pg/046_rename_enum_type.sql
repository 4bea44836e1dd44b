-- expect: DBG115
-- the running version casts its parameters to "ParcelState" (as the Prisma client does for
-- every enum): those queries fail once the type has another name
ALTER TYPE "ParcelState" RENAME TO "ShipmentState";
