# expect: DBG302
# seed: non-idempotent
from shop.models import Store

Store(name="Pop-up").save()
