# expect: none
# seed: idempotent
from django.contrib.auth.models import Group


def run():
    for name in ("editors", "viewers"):
        Group.objects.get_or_create(name=name)
    Setting.objects.update_or_create(key="theme", defaults={"value": "light"})
