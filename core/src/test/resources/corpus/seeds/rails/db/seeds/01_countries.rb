# expect: DBG302
# seed: non-idempotent
require "csv"

CSV.foreach(Rails.root.join("db/data/countries.csv"), headers: true) do |row|
  Country.create!(
    code: row["code"],
    name: row["name"]
  )
end
