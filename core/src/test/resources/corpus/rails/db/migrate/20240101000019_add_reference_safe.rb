# expect: none
class AddEditorToComments < ActiveRecord::Migration[7.1]
  disable_ddl_transaction!

  def change
    add_reference :comments, :editor, index: { algorithm: :concurrently }
  end
end
