# expect: none
class AddForeignKeyToPayments < ActiveRecord::Migration[7.1]
  def change
    add_foreign_key :payments, :invoices, validate: false
  end
end
