# expect: DBG302
# seed: non-idempotent
Plan.create!(name: "Free", price_cents: 0)
Plan.create!(name: "Pro", price_cents: 1900)
