-- expect: DBG226
-- previous type is not visible to a linter: a notice (no rewrite from varchar or char, the usual source; a rewrite from anything else)
ALTER TABLE products ALTER COLUMN description TYPE text;
