# expect: DBG203
class AddIndexConcurrentlyInTx < ActiveRecord::Migration[7.1]
  def change
    add_index :payments, :reference, algorithm: :concurrently
  end
end
