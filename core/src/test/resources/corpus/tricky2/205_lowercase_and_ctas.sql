-- expect: DBG101
create table members_backup as select * from members;
drop table members_backup;
drop table if exists "TempMembers";
