# expect: none
# seed: idempotent
from django.core.management import call_command


def run():
    call_command("loaddata", "categories")
