# expect: DBG101
class DropLegacyImports < ActiveRecord::Migration[7.1]
  def up
    drop_table :legacy_imports
  end

  def down
    create_table :legacy_imports do |t|
      t.string :payload
    end
  end
end
