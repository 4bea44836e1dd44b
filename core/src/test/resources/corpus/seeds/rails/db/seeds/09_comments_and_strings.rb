# expect: none
# seed: idempotent
# Product.delete_all  <- never again, see INC-42
=begin
User.destroy_all
=end
note = "Remember: User.create! duplicates rows; Product.delete_all wipes them"
puts note
Brand.first_or_create!(name: "House brand")
