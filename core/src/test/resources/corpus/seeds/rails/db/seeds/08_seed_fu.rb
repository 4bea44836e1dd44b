# expect: none
# seed: idempotent
Currency.seed(:code,
  { code: "EUR", symbol: "€" },
  { code: "USD", symbol: "$" }
)
Country.seed_once(:code, { code: "DE", name: "Germany" })
