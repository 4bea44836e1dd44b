# expect: none
class CreateKennels < ActiveRecord::Migration[7.1]
  def change
    create_table :kennels do |t|
      t.string :name, limit: 80, null: false
      t.string :city
      t.integer :capacity
      t.string :badge_code, limit: 12
      t.timestamps
    end
    add_column :kennels, :motto, :string
  end
end
