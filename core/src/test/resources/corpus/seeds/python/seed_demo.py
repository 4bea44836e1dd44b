# expect: DBG302
# seed: non-idempotent
from shop.models import Category, Product


def run():
    books = Category.objects.create(name="Books")
    Product.objects.bulk_create([
        Product(name="Dune", category=books),
        Product(name="Emma", category=books),
    ])
