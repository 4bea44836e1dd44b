# expect: DBG208
# kennels.city is a string since 20240101000025: only NULL changes, no type change
class KennelCityRequired < ActiveRecord::Migration[7.1]
  def up
    change_column :kennels, :city, :string, null: false, default: ""
  end
end
