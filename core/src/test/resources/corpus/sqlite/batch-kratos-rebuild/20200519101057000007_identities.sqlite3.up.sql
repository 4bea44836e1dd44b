-- expect: none
CREATE TABLE "_identities_tmp" (
"id" TEXT PRIMARY KEY,
"traits_schema_id" TEXT NOT NULL,
"traits" TEXT NOT NULL,
"created_at" DATETIME NOT NULL,
"updated_at" DATETIME NOT NULL
);
INSERT INTO "_identities_tmp" (id, traits_schema_id, traits, created_at, updated_at) SELECT id, traits_schema_id, traits, created_at, updated_at FROM "identities";
