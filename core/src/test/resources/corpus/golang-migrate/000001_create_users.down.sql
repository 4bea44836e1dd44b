-- expect: none
DROP TABLE IF EXISTS users;
