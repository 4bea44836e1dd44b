# expect: DBG102!, DBG106!, DBG101
class Cleanup < ActiveRecord::Migration[7.1]
  def change
    safety_assured do
      remove_column :stores, :fax
      rename_column :stores, :tel, :phone
    end
    drop_table :store_faxes
  end
end
