# expect: none
# same type as declared in 20240101000025 (integer): only the default changes
class KennelCapacityDefault < ActiveRecord::Migration[7.1]
  def up
    change_column :kennels, :capacity, :integer, default: 10
  end
end
