# expect: DBG301, DBG301
# seed: destructive
Product.delete_all
Category.destroy_all
Category.create!(name: "Everything")
