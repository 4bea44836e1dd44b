# expect: none
# seed: idempotent
from shop.models import Coupon

if not Coupon.objects.filter(code="WELCOME").exists():
    Coupon.objects.create(code="WELCOME", percent=10)
