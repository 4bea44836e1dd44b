# expect: DBG109, DBG208, DBG223
# added nullable, backfilled from the row, then NOT NULL without a default: the running
# version never writes region, so its inserts fail once the column is NOT NULL
class AddKennelRegion < ActiveRecord::Migration[7.1]
  def up
    add_column :kennels, :region, :string
    execute "UPDATE kennels SET region = upper(city)"
    change_column_null :kennels, :region, false
  end
end
