# expect: DBG201
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0006_add_field_db_default")]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(fields=["price"], name="shop_product_price_idx"),
        ),
    ]
