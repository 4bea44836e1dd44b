# expect: DBG303
# seed: unknown
load Rails.root.join("db", "seeds", "generated", "demo.rb")
