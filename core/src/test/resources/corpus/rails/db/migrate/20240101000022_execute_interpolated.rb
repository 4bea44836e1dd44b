# expect: DBG111
class CleanupOrphans < ActiveRecord::Migration[7.1]
  TABLE = "attachments"

  def up
    # remove every attachment row; the files were moved to the new store
    execute "DELETE FROM #{TABLE}"
  end
end
