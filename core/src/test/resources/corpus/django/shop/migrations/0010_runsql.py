# expect: DBG110, DBG221
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0009_concurrently_atomic")]

    operations = [
        migrations.RunSQL(
            """
            TRUNCATE shop_cart;
            -- reset sequences after the purge
            ALTER SEQUENCE shop_cart_id_seq RESTART WITH 1;
            """
        ),
    ]
