-- expect: DBG102
-- Rendered by the application's migrator: {{ … }} is a Go-template placeholder for the schema.
alter table {{ index .Options "Namespace" }}.refresh_tokens drop column if exists parent_token;
create table if not exists {{ index .Options "Namespace" }}.audit_trail (
  id bigserial primary key,
  payload jsonb not null
);
