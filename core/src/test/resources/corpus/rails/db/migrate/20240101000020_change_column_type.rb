# expect: DBG108
class ChangePriceToInteger < ActiveRecord::Migration[7.1]
  def change
    change_column :products, :price, :integer
  end
end
