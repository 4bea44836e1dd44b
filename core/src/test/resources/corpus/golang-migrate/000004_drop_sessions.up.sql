-- expect: DBG101
DROP TABLE sessions;
