# expect: DBG301
# seed: destructive
ActiveRecord::Base.connection.execute(<<~SQL)
  DELETE FROM feature_flags WHERE name LIKE 'tmp_%';
  INSERT INTO feature_flags (name, enabled) VALUES ('checkout_v2', false)
  ON CONFLICT (name) DO NOTHING;
SQL
