# expect: DBG105
class RenameMembersToUsers < ActiveRecord::Migration[7.1]
  def change
    # safety_assured
    rename_table :members, :accounts
  end
end
