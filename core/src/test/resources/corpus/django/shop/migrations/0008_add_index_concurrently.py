# expect: none
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("shop", "0007_add_index")]

    operations = [
        AddIndexConcurrently(
            "product",
            models.Index(fields=["sku", "name"], name="shop_product_sku_name_idx"),
        ),
    ]
