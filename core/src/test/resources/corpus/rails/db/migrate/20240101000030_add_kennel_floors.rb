# expect: DBG208
# a default is set before NOT NULL: old inserts get the default
class AddKennelFloors < ActiveRecord::Migration[7.1]
  def up
    add_column :kennels, :floors, :integer
    change_column_default :kennels, :floors, from: nil, to: 1
    change_column_null :kennels, :floors, false, 1
  end
end
