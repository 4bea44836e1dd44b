-- expect: DBG102
-- RedefineTables without trackingUrl: the earlier migration directory declares it, the copy does not read it
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Parcel" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "barcode" TEXT NOT NULL
);
INSERT INTO "new_Parcel" ("id", "barcode") SELECT "id", "barcode" FROM "Parcel";
DROP TABLE "Parcel";
ALTER TABLE "new_Parcel" RENAME TO "Parcel";
PRAGMA foreign_keys=ON;
