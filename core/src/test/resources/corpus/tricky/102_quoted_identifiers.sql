-- expect: DBG102, DBG106
ALTER TABLE ONLY "public"."User" DROP COLUMN "legacyFlag";
ALTER TABLE "Order" RENAME COLUMN "Total" TO "totalCents";
