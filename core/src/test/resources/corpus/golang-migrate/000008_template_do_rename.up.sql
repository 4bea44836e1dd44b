-- expect: DBG106
do $$
begin
  if exists (select 1 from information_schema.columns
             where table_schema = '{{ index .Options "Namespace" }}'
               and table_name = 'factors' and column_name = 'label') then
    alter table {{ index .Options "Namespace" }}.factors rename column label to friendly_name;
  end if;
end $$;
