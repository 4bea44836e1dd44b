# expect: DBG108, DBG106
# name: varchar(80) → text is binary-coercible (no finding); motto: varchar → varchar(40)
# can truncate values (refused); the rename is refused (DBG106), and badge keeps the type of
# badge_code, varchar(12), so varchar(20) is a widening (no finding)
class KennelTexts < ActiveRecord::Migration[7.1]
  def up
    change_column :kennels, :name, :text
    change_column :kennels, :motto, :string, limit: 40
    rename_column :kennels, :badge_code, :badge
    change_column :kennels, :badge, :string, limit: 20
  end
end
