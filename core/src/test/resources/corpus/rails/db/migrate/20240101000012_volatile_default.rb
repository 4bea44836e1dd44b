# expect: DBG207
class AddPublicIdToInvoices < ActiveRecord::Migration[7.1]
  def change
    add_column :invoices, :public_id, :uuid,
               default: -> { "gen_random_uuid()" },
               null: false
  end
end
