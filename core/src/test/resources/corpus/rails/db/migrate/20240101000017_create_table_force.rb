# expect: DBG104
class RecreateSettings < ActiveRecord::Migration[7.1]
  def change
    create_table :settings, force: :cascade do |t|
      t.string :key, null: false
      t.jsonb :value
    end
  end
end
