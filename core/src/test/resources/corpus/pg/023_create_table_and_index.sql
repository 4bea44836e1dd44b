-- expect: none
CREATE TABLE IF NOT EXISTS webhooks (
  id bigserial PRIMARY KEY,
  account_id bigint NOT NULL REFERENCES accounts (id),
  url text NOT NULL,
  secret varchar(64),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_account_id_idx ON webhooks (account_id);
ALTER TABLE webhooks ADD COLUMN last_status integer NOT NULL;
ALTER TABLE webhooks ADD CONSTRAINT webhooks_url_check CHECK (url <> '');
