# expect: DBG101
class DropWidgets < ActiveRecord::Migration[4.2]
  def self.up
    drop_table :widgets
  end

  def self.down
    create_table :widgets do |t|
      t.string :name
    end
    remove_column :gadgets, :widget_id
  end
end
