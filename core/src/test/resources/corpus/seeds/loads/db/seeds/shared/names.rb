# expect: none
# seed: idempotent
NAMES = %w[admin editor].freeze
