# expect: DBG109
class AddTenantToInvoices < ActiveRecord::Migration[7.1]
  def change
    add_column :invoices, :tenant_id, :bigint, null: false
  end
end
