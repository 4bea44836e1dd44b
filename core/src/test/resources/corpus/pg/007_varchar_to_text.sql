-- expect: DBG209
-- previous type is not visible to a linter: target text is a possible rewrite only
ALTER TABLE products ALTER COLUMN description TYPE text;
