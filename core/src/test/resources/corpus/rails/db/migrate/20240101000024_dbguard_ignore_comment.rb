# expect: DBG105!
class RenameAuthorsToWriters < ActiveRecord::Migration[7.1]
  def change
    # dbguard:ignore DBG105 no running code reads authors since v4.2 (ticket ENG-88)
    rename_table :authors, :writers
  end
end
