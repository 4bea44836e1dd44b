# expect: none
# seed: idempotent
return if Category.exists?

Category.create!(name: "Books")
Category.create!(name: "Music")
