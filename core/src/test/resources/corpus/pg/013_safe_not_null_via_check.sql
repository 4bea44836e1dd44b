-- expect: none
-- Step 1 of 2: the check is validated in the next migration.
ALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;
