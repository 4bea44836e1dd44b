# expect: DBG112, DBG201
class BackfillAndIndex < ActiveRecord::Migration[7.1]
  def up
    execute <<-SQL.squish
      UPDATE stores SET active = true
    SQL
    execute(<<~SQL1, <<~SQL2)
      CREATE INDEX index_stores_on_active ON stores (active);
    SQL1
      SELECT 1;
    SQL2
  end
end
