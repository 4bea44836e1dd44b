# expect: DBG109
class AddRegionToStores < ActiveRecord::Migration[5.2]
  def change
    add_column(:stores,
               :region,
               :string,
               :null => false,
               :limit => 32)
  end
end
