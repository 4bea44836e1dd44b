# expect: none
# seed: idempotent
# Plan validates the uniqueness of code: a rerun's create returns an unsaved record
Plan.create(code: "free", name: "Free")
Plan.create([{ code: "team", name: "Team" }, { code: "pro", name: "Pro" }])
