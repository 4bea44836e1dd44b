# expect: DBG302
# seed: non-idempotent
store = Store.new(name: "Main street", city: "Springfield")
store.save!
