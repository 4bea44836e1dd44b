# expect: DBG203
class AddUniqueEmailIndex < ActiveRecord::Migration[7.1]
  def change
    add_index :members, :email, unique: true, algorithm: :concurrently
  end
end
