-- expect: DBG302
-- seed: non-idempotent
INSERT INTO teams (name)
VALUES ('red'),
       ('blue');
