# expect: DBG106
class RenameZipOnAddresses < ActiveRecord::Migration[7.1]
  def change
    rename_column :addresses, :zip, :postal_code
  end
end
