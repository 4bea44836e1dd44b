# expect: DBG301
# seed: destructive
from django.core.management import call_command


def run():
    call_command("flush", interactive=False)
    call_command("loaddata", "demo.json")
