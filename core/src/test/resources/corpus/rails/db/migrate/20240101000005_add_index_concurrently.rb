# expect: none
class AddIndexToOrdersEmail < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_index :orders, :email, algorithm: :concurrently, if_not_exists: true
  end
end
