# expect: none
# seed: idempotent
from shop.models import Store


def run():
    if Store.objects.exists():
        return
    Store.objects.create(name="Main")
    Store.objects.create(name="Outlet")
