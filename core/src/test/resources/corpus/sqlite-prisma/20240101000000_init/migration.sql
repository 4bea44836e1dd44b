-- expect: none
-- Prisma layout: one directory per migration
CREATE TABLE "Parcel" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "barcode" TEXT NOT NULL,
    "trackingUrl" TEXT
);
