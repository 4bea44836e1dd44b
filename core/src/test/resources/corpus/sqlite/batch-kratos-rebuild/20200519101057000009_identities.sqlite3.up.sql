-- expect: none
ALTER TABLE "_identities_tmp" RENAME TO "identities";
