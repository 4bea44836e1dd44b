# expect: none
# seed: idempotent
from shop.models import Tag

Tag.objects.bulk_create([Tag(name="a"), Tag(name="b")], ignore_conflicts=True)
