-- expect: DBG222
DROP TABLE "identities";
