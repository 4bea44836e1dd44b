# expect: DBG301
# seed: destructive
# Plan.remove_legacy runs destroy_all (app/models/plan.rb)
Plan.remove_legacy
Plan.find_or_create_by!(code: "free")
