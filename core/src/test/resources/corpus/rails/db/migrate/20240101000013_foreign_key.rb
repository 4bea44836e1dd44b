# expect: DBG204
class AddForeignKeyToInvoices < ActiveRecord::Migration[7.1]
  def change
    add_foreign_key :invoices, :customers
  end
end
