# expect: none
class AddStatusToInvoices < ActiveRecord::Migration[7.1]
  def change
    add_column :invoices, :status, :string, null: false, default: "draft"
    add_column :invoices, :notes, :text
  end
end
