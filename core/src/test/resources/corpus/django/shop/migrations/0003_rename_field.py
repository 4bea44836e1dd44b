# expect: DBG106
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_remove_product_legacy_code")]

    operations = [
        migrations.RenameField(
            model_name="product",
            old_name="title",
            new_name="name",
        ),
    ]
