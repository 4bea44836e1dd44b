# expect: DBG102
class RemoveLegacySkuFromProducts < ActiveRecord::Migration[7.1]
  def change
    remove_column :products, :legacy_sku, :string
  end
end
