# expect: DBG226, DBG216
class ConstraintsAndTypes < ActiveRecord::Migration[7.1]
  def change
    add_check_constraint :orders, "total >= 0", name: "orders_total_nonneg", validate: false
    change_column :members, :bio, :text
    add_column :members, :settings, :json
  end
end
