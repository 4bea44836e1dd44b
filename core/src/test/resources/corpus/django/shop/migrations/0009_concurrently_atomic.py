# expect: DBG203
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0008_add_index_concurrently")]

    operations = [
        AddIndexConcurrently(
            model_name="product",
            index=models.Index(fields=["created_at"], name="shop_product_created_idx"),
        ),
    ]
