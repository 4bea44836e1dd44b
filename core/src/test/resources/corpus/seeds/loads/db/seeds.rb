# expect: DBG301
# seed: destructive
# Loads every file of db/seeds in order; one of them wipes data.
Dir[Rails.root.join("db", "seeds", "*.rb")].sort.each do |file|
  load file
end
