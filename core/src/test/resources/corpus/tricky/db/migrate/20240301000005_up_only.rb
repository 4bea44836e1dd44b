# expect: DBG223
class ResetCounters < ActiveRecord::Migration[7.1]
  def change
    add_column :stores, :orders_count, :integer, default: 0
    up_only { execute "UPDATE stores SET orders_count = 0" }
  end
end
