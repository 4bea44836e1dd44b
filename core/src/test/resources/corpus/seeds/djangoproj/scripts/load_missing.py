# expect: DBG303
# seed: unknown
from django.core.management import call_command

call_command("loaddata", "initial_data")
