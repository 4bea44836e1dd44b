# expect: DBG301
# seed: destructive
from shop.models import Cart

Cart.objects.filter(items__isnull=True).delete()
