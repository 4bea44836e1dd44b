-- Release 1.0: customers of a small online shop.
CREATE TABLE customers (
  id         INTEGER PRIMARY KEY,
  email      TEXT    NOT NULL UNIQUE,
  full_name  TEXT    NOT NULL,
  phone      TEXT,
  created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
