# expect: none
class AddNoteToStores < ActiveRecord::Migration[7.1]
  # remove_column :stores, :name  -- kept for now
  DESCRIPTION = "drop_table :stores would be bad"

  def change
    add_column :stores, :note, :text, comment: "rename_column is not used here"
    change_column_default :stores, :note, from: nil, to: ""
  end
end
