# expect: DBG303
# seed: unknown
require_relative "shared/demo_data"
Seeds::DemoData.call
