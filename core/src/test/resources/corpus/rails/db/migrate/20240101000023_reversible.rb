# expect: DBG201
class AddSearchIndex < ActiveRecord::Migration[7.1]
  def change
    reversible do |dir|
      dir.up do
        execute %q{CREATE INDEX index_articles_on_title_trgm ON articles USING gin (title gin_trgm_ops)}
      end
      dir.down do
        execute "DROP TABLE articles"
      end
    end
  end
end
