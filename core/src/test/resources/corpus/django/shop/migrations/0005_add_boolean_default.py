# expect: DBG220
# Django adds the column with DEFAULT false, then drops the database default.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0004_add_field_not_null_no_default")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="is_active",
            field=models.BooleanField(default=True),
        ),
    ]
