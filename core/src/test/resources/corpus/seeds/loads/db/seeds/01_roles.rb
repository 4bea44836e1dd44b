# expect: none
# seed: idempotent
require_relative "shared/names"
Role.find_or_create_by!(name: "admin")
