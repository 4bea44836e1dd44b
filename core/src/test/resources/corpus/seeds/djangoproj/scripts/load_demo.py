# expect: DBG302
# seed: non-idempotent
from django.core.management import call_command

call_command("loaddata", "demo_orders.yaml", verbosity=0)
