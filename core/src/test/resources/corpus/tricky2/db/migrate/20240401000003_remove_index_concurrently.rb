# expect: none
class RemoveMemberTierIndex < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    remove_index :members, column: :tier, algorithm: :concurrently
  end
end
