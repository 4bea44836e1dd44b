# expect: none
# seed: idempotent
User.where(email: "ops@example.com").first_or_create!(name: "Ops")
