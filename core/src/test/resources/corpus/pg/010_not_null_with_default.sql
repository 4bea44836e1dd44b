-- expect: none
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS is_trial boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
