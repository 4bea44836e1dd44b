# expect: none
# seed: idempotent
Plan.find_or_create_by!(name: "Free") do |plan|
  plan.price_cents = 0
  plan.features = %w[basic]
end
User.insert_all([{ email: "a@example.com" }, { email: "b@example.com" }], unique_by: :email)
