# expect: DBG302
# seed: non-idempotent
# Region validates no uniqueness: create adds a row on every run
Region.create(name: "North")
Region.remove_blank_codes
