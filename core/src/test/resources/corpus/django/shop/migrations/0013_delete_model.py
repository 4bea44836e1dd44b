# expect: DBG101
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0012_runpython_reversible")]

    operations = [
        migrations.DeleteModel(name="Coupon"),
    ]
