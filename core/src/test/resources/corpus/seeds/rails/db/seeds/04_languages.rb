# expect: DBG303
# seed: unknown
Language.load
