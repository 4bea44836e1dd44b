# expect: DBG102, DBG106, DBG201
class ReshapeAccounts < ActiveRecord::Migration[7.1]
  def change
    change_table :accounts do |t|
      t.remove :fax_number, type: :string
      t.rename :phone, :phone_number
      t.string :timezone, default: "UTC"
      t.index :timezone
    end
  end
end
