# expect: none
# seed: idempotent
unless User.exists?(email: "support@example.com")
  User.create!(
    email: "support@example.com",
    name: "Support",
    role: :admin
  )
end

Tag.create!(name: "featured") unless Tag.where(name: "featured").exists?
