# expect: DBG101!, DBG102!
import django_migration_linter as linter
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0013_delete_model")]

    operations = [
        linter.IgnoreMigration(),
        migrations.RemoveField(model_name="product", name="old_price"),
        migrations.DeleteModel(name="PriceHistory"),
    ]
