# expect: DBG110, DBG201
class PurgeCarts < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      TRUNCATE carts;
      CREATE INDEX index_carts_on_user ON carts (user_id);
    SQL
  end

  def down
    drop_table :carts
    execute "DROP SCHEMA archive CASCADE"
  end
end
