# expect: DBG201
class AddIndexToOrdersState < ActiveRecord::Migration[7.1]
  def change
    add_index :orders, [:state, :created_at], name: "index_orders_on_state_and_created_at"
  end
end
