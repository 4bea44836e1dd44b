# expect: DBG202
class RemoveMemberEmailIndex < ActiveRecord::Migration[7.1]
  def change
    remove_index :members, :email
  end
end
